package io.certapi.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The text form of a requested instant, and the forms carried over from a timestamp column. */
class InstantTextTest {

    @ParameterizedTest
    @CsvSource({
        "2026-11-29T05:04:28.765123456Z, 2026-11-29T05:04:28.765123456Z",
        "2026-11-29 05:04:28.765+00, 2026-11-29T05:04:28.765Z",
        "2026-11-29 06:04:28+01, 2026-11-29T05:04:28Z",
        "2026-11-29 10:34:28.5+05:30, 2026-11-29T05:04:28.500Z"})
    void readsWhatEitherDatabaseHolds(String stored, String instant) {
        assertEquals(Instant.parse(instant), new InstantText().convertToEntityAttribute(stored));
    }

    @org.junit.jupiter.api.Test
    void writesRfc3339ToTheNanosecond() {
        Instant t = Instant.parse("2026-11-29T05:04:28.765123456Z");
        InstantText c = new InstantText();
        assertEquals("2026-11-29T05:04:28.765123456Z", c.convertToDatabaseColumn(t));
        assertNull(c.convertToDatabaseColumn(null));
        assertNull(c.convertToEntityAttribute(null));
    }
}
