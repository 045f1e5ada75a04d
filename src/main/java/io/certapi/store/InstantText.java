package io.certapi.store;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * An instant kept as RFC 3339 text, to the nanosecond, in either database. Also reads the form
 * in which H2 and PostgreSQL print a TIMESTAMP WITH TIME ZONE ({@code 2026-11-29
 * 05:04:28.765+00}), as rows carried over from a timestamp column are.
 */
@Converter
public class InstantText implements AttributeConverter<Instant, String> {

    @Override
    public String convertToDatabaseColumn(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    @Override
    public Instant convertToEntityAttribute(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notRfc3339) {
            String iso = text.trim().replace(' ', 'T');
            if (iso.matches(".*[+-]\\d\\d$")) {
                iso = iso + ":00";
            }
            return OffsetDateTime.parse(iso).toInstant();
        }
    }
}
