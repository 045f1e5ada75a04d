package io.certapi.jws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certapi.core.AcmeProblem;
import io.certapi.core.ProblemType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Strict JSON: what a lenient parser would let through is refused. */
class StrictJsonTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "duplicate key|{\"a\":1,\"a\":2}|Duplicate field",
        "trailing object|{\"a\":1} {}|strict JSON",
        "trailing garbage|{\"a\":1}x|strict JSON",
        "comment|{/*c*/\"a\":1}|strict JSON",
        "NaN|{\"a\":NaN}|strict JSON",
        "single quotes|{'a':1}|strict JSON",
        "unquoted key|{a:1}|strict JSON",
        "array|[1]|must be a JSON object",
        "empty|''|empty"})
    void refuses(String name, String json, String detail) {
        AcmeProblem p = assertThrows(AcmeProblem.class, () -> StrictJson.parseObject(
                json.getBytes(StandardCharsets.UTF_8), "payload"));
        assertEquals(ProblemType.MALFORMED, p.type());
        assertTrue(p.detail().contains(detail), p.detail());
    }

    @org.junit.jupiter.api.Test
    void refusesDeepNesting() {
        String deep = "{\"a\":" + "[".repeat(StrictJson.MAX_DEPTH + 1)
                + "]".repeat(StrictJson.MAX_DEPTH + 1) + "}";
        AcmeProblem p = assertThrows(AcmeProblem.class, () -> StrictJson.parseObject(
                deep.getBytes(StandardCharsets.UTF_8), "payload"));
        assertTrue(p.detail().contains("nesting depth"), p.detail());
    }

    @org.junit.jupiter.api.Test
    void refusesInvalidUtf8() {
        AcmeProblem p = assertThrows(AcmeProblem.class, () -> StrictJson.parseObject(
                new byte[] {'{', '"', (byte) 0xC3, '"', ':', '1', '}'}, "payload"));
        assertTrue(p.detail().contains("UTF-8"), p.detail());
    }

    record Flag(Boolean on) {
    }

    @org.junit.jupiter.api.Test
    void refusesScalarCoercion() {
        var node = StrictJson.parseObject("{\"on\":\"true\"}".getBytes(StandardCharsets.UTF_8),
                "payload");
        AcmeProblem p = assertThrows(AcmeProblem.class,
                () -> StrictJson.convert(node, Flag.class, "payload"));
        assertTrue(p.detail().contains("wrong type"), p.detail());
    }
}
