package io.certapi.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Prints the benchmark's tables, in Markdown so that docs/performance.md can take them. */
final class Report {

    private Report() {
    }

    /** The throughput table: one row per server and concurrency, then certapi/Pebble. */
    static void throughput(List<Benchmark.Result> results, Benchmark.Options o) {
        System.out.printf(Locale.ROOT, "%nscenario 1: %d full issuances per run after %d to warm"
                + " up, real http-01, issuance delay 0, database %s%n%n", o.jobs, o.warmup, o.db);
        System.out.println("| server | clients | certs/s | p50 / p90 / p99 total (ms) |"
                + " CPU ms/cert | CPU ms/request | peak RSS MB | failed |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Benchmark.Result r : results) {
            List<Double> total = r.stats().steps.getOrDefault("total", List.of());
            System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.0f / %.0f / %.0f | %.2f | %.2f |"
                    + " %.0f | %d |%n", r.server(), r.concurrency(), r.certsPerSecond(),
                    pct(total, 50), pct(total, 90), pct(total, 99),
                    1000 * r.cpuSeconds() / Math.max(1, r.done()),
                    1000 * r.cpuSeconds() / Math.max(1, r.requests()), r.peakRssMb(),
                    r.failed());
        }
        System.out.println();
        System.out.println("| server | clients | " + String.join(" | ", LoadGenerator.STEPS)
                + " |   (p50 / p90 / p99 ms per step)");
        System.out.println("|---|---|" + "---|".repeat(LoadGenerator.STEPS.size()));
        for (Benchmark.Result r : results) {
            StringBuilder row = new StringBuilder("| " + r.server() + " | " + r.concurrency());
            for (String step : LoadGenerator.STEPS) {
                List<Double> l = r.stats().steps.getOrDefault(step, List.of());
                row.append(String.format(Locale.ROOT, " | %.0f / %.0f / %.0f", pct(l, 50),
                        pct(l, 90), pct(l, 99)));
            }
            System.out.println(row + " |");
        }
        System.out.println();
        for (Benchmark.Result r : results) {
            if (!r.server().equals("certapi")) {
                continue;
            }
            results.stream().filter(p -> p.server().equals("pebble")
                    && p.concurrency() == r.concurrency()).findFirst().ifPresent(p -> {
                        List<Double> ct = r.stats().steps.getOrDefault("total", List.of());
                        List<Double> pt = p.stats().steps.getOrDefault("total", List.of());
                        System.out.printf(Locale.ROOT, "certapi/Pebble at %d clients: %.2fx"
                                + " certs/s; p50 %.0f vs %.0f ms, p99 %.0f vs %.0f ms%n",
                                r.concurrency(), r.certsPerSecond() / p.certsPerSecond(),
                                pct(ct, 50), pct(pt, 50), pct(ct, 99), pct(pt, 99));
                    });
        }
    }

    /** The {@code p}th percentile (nearest rank) of {@code values}; NaN when empty. */
    static double pct(List<Double> values, int p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
