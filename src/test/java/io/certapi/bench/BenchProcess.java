package io.certapi.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One server process under benchmark (certapi, Pebble or the DNS peer): started with its output
 * in a log file, watched for a line that says it is ready, and measured from {@code /proc}:
 * CPU seconds (user + system) and peak resident memory, sampled every 100 ms because
 * {@code VmHWM} counts only the process's own mappings and is read while it lives.
 */
final class BenchProcess implements AutoCloseable {

    private static final long CLOCK_TICKS = 100;

    private final String name;
    private final Process process;
    private final Path log;
    private final AtomicLong peakRssKb = new AtomicLong();
    private final ScheduledExecutorService sampler;

    private BenchProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rss-" + name);
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(this::sampleRss, 0, 100, TimeUnit.MILLISECONDS);
    }

    /** Starts {@code command}; returns once its log shows {@code readyLine}. */
    static BenchProcess start(String name, List<String> command, Map<String, String> env,
            Path log, String readyLine, Duration timeout) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        pb.environment().putAll(env);
        BenchProcess p = new BenchProcess(name, pb.start(), log);
        p.awaitLine(readyLine, timeout);
        return p;
    }

    /** Waits until the log holds {@code line}; fails when the process dies first. */
    void awaitLine(String line, Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (Files.readString(log).contains(line)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited before it was ready; see " + log);
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout + "; see "
                + log);
    }

    /** The log so far. */
    String logText() throws IOException {
        return Files.readString(log);
    }

    /** CPU seconds (user + system) the process has used so far. */
    double cpuSeconds() {
        return cpuSeconds(process.pid());
    }

    /** CPU seconds this JVM (the load generator) has used so far. */
    static double selfCpuSeconds() {
        return cpuSeconds(ProcessHandle.current().pid());
    }

    private static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // Fields after the command name, which sits in parentheses and may hold spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks / (double) CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * CPU seconds per thread group so far: threads named alike (digits and the pool number
     * dropped, as the kernel's 15-character {@code comm} shows them) are summed. Threads that
     * ended are not counted, so the figures say where the CPU goes, not the total.
     */
    Map<String, Double> threadCpuSeconds() {
        Map<String, Double> out = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + process.pid() + "/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                            .replaceAll("[0-9]+", "#").replaceAll("#(-#)*$", "#");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    double s = (Long.parseLong(f[11]) + Long.parseLong(f[12]))
                            / (double) CLOCK_TICKS;
                    out.merge(name, s, Double::sum);
                } catch (IOException | RuntimeException gone) {
                    // The thread ended while listed.
                }
            }
        } catch (IOException gone) {
            // The process has exited.
        }
        return out;
    }

    /** Peak resident set size in MB seen so far. */
    double peakRssMb() {
        sampleRss();
        return peakRssKb.get() / 1024.0;
    }

    /** Forgets the peak so far (the next figure covers what follows only). */
    void resetPeak() {
        peakRssKb.set(0);
    }

    long pid() {
        return process.pid();
    }

    private void sampleRss() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (l.startsWith("VmRSS:")) {
                    long kb = Long.parseLong(l.replaceAll("[^0-9]", ""));
                    peakRssKb.accumulateAndGet(kb, Math::max);
                }
            }
        } catch (IOException | RuntimeException gone) {
            // The process has exited; the peak stays as last seen.
        }
    }

    /** Stops the process (SIGTERM, then SIGKILL after 10 s). */
    @Override
    public void close() throws InterruptedException {
        sampler.shutdownNow();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
