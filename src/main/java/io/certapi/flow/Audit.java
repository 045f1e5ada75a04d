package io.certapi.flow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The audit log: one JSON object per state change, in the log category {@code certapi.audit}
 * (docs/operating.md shows how to send it to a file of its own). Every event has {@code time}
 * and {@code event}; the rest names what changed and who changed it.
 */
@ApplicationScoped
public class Audit {

    /** The log category of the audit log. */
    public static final String CATEGORY = "certapi.audit";
    private static final Logger LOG = Logger.getLogger(CATEGORY);

    private final ObjectMapper json;
    private final Clock clock;

    /** Creates the audit log. */
    public Audit(ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    /**
     * Logs one event: {@code fields} are name, value pairs; a null value is left out.
     */
    public void log(String event, Object... fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", clock.instant().toString());
        line.put("event", event);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            if (fields[i + 1] != null) {
                line.put(String.valueOf(fields[i]), fields[i + 1]);
            }
        }
        try {
            LOG.info(json.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            LOG.errorf("audit event %s could not be written: %s", event, e.getMessage());
        }
    }
}
