package io.certapi.jws;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.certapi.core.AcmeProblem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Strict JSON for everything a client sends: duplicate keys, trailing data, deep nesting,
 * comments, non-standard numbers and invalid UTF-8 are all errors.
 */
public final class StrictJson {

    /** Deepest nesting accepted; no ACME payload needs more than a handful of levels. */
    public static final int MAX_DEPTH = 16;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // "true" is not true and 1 is not "1": a field of the wrong type is an error.
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH).maxStringLength(1 << 20).build());
    }

    private StrictJson() {
    }

    /** Parses {@code bytes}; {@code what} names the thing for the problem detail. */
    public static JsonNode parse(byte[] bytes, String what) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw AcmeProblem.malformed(what + " is empty; expected a JSON object");
            }
            return node;
        } catch (java.nio.charset.CharacterCodingException e) {
            throw AcmeProblem.malformed(what + " is not valid UTF-8");
        } catch (IOException e) {
            throw AcmeProblem.malformed(what + " is not strict JSON: " + firstLine(e.getMessage()));
        }
    }

    /** Parses {@code bytes} into an object node, rejecting arrays and scalars. */
    public static JsonNode parseObject(byte[] bytes, String what) {
        JsonNode node = parse(bytes, what);
        if (!node.isObject()) {
            throw AcmeProblem.malformed(what + " must be a JSON object");
        }
        return node;
    }

    /** Maps an already-parsed node onto a wire record. */
    public static <T> T convert(JsonNode node, Class<T> type, String what) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (IOException | IllegalArgumentException e) {
            throw AcmeProblem.malformed(what + " has a field of the wrong type: "
                    + firstLine(e.getMessage()));
        }
    }

    /** The shared strict mapper, for writing stored JSON. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        // Jackson quotes the source text; cut it so no large input is echoed back.
        return line.length() > 160 ? line.substring(0, 160) + "..." : line;
    }
}
