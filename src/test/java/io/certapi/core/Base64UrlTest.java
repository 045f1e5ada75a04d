package io.certapi.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Strict base64url (RFC 8555 §6.1). */
class Base64UrlTest {

    @ParameterizedTest(name = "accepts \"{0}\"")
    @CsvSource({"'',''", "AQ,01", "AQI,0102", "AQID,010203", "-_8,fbff"})
    void accepts(String text, String hex) {
        assertArrayEquals(java.util.HexFormat.of().parseHex(hex),
                Base64Url.decode(text).orElseThrow());
    }

    @ParameterizedTest(name = "rejects \"{0}\"")
    @ValueSource(strings = {"AQ==", "AQ=", "+/8", "AQ I", " AQ", "AQ\n", "A", "AR", "AQJ",
        "é"})
    void rejects(String text) {
        assertTrue(Base64Url.decode(text).isEmpty(), text);
    }
}
