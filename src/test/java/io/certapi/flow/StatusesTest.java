package io.certapi.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.certapi.core.Status;
import io.certapi.store.AuthorizationEntity;
import io.certapi.store.OrderEntity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The one place statuses are computed, on a fixed clock: an order's status from its stored
 * phase, its expiry and its authorizations' statuses and expiries.
 */
class StatusesTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @ParameterizedTest(name = "order {0}, expires in {1}s, authzs [{2}] -> {3}")
    @CsvSource(delimiter = '|', value = {
        "pending|3600|pending|pending",
        "pending|3600|valid|ready",
        "pending|3600|valid,valid|ready",
        "pending|3600|valid,pending|pending",
        "pending|3600|valid,invalid|invalid",
        "pending|3600|valid,deactivated|invalid",
        "pending|3600|valid,revoked|invalid",
        "pending|3600|valid:expired|invalid",
        "pending|3600|pending:expired|invalid",
        "pending|-1|valid|invalid",
        "pending|0|valid|invalid",
        "processing|3600|valid|processing",
        "processing|-1|valid|processing",
        "valid|-1|valid:expired|valid",
        "invalid|3600|valid|invalid"})
    void orderStatus(String stored, long expiresIn, String authzs, String expected) {
        OrderEntity o = new OrderEntity();
        o.status = stored;
        o.expiresAt = NOW.plusSeconds(expiresIn);
        List<AuthorizationEntity> list = new ArrayList<>();
        for (String a : authzs.split(",")) {
            AuthorizationEntity e = new AuthorizationEntity();
            String[] parts = a.split(":");
            e.status = parts[0];
            e.expiresAt = parts.length > 1 ? NOW.minusSeconds(1) : NOW.plusSeconds(60);
            list.add(e);
        }
        assertEquals(Status.fromWire(expected), Statuses.order(o, list, NOW));
    }

    @ParameterizedTest(name = "authz {0}, expires in {1}s -> {2}")
    @CsvSource(delimiter = '|', value = {
        "pending|10|pending", "pending|0|expired", "valid|10|valid", "valid|-5|expired",
        "invalid|-5|invalid", "deactivated|-5|deactivated"})
    void authorizationStatus(String stored, long expiresIn, String expected) {
        AuthorizationEntity a = new AuthorizationEntity();
        a.status = stored;
        a.expiresAt = NOW.plusSeconds(expiresIn);
        assertEquals(Status.fromWire(expected), Statuses.authorization(a, NOW));
    }
}
