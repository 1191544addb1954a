package dev.gyrfalcon.probe;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Prints a sample trace of a checkout: a nested database span, two checks at once (one
 * never answers and times out), a skipped span and a failed one. With "verify", checks a
 * signature instead: verify SECRET METHOD PATH_AND_QUERY TIMESTAMP SIGNATURE NOW, body on stdin.
 */
public final class Sample {
    private Sample() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 7 && args[0].equals("verify")) {
            verify(args);
            return;
        }
        ExecutorService executor = Executors.newCachedThreadPool(work -> {
            Thread thread = new Thread(work, "debug-check");
            thread.setDaemon(true); // a check that hangs must not keep the JVM up
            return thread;
        });
        CountDownLatch never = new CountDownLatch(1);
        DebugTrace trace = new DebugTrace("orders", "/debug/checkout");
        try (DebugTrace.Span checkout = trace.span("prepare checkout", "internal", null)) {
            int lines = trace.traced("load order", "db", "orders-db:5432/orders", () -> {
                try (DebugTrace.Span parse = trace.span("parse lines", "internal", null)) {
                    parse.set("lines", 3);
                }
                return 3;
            });
            checkout.set("lines", lines);
            trace.runChecks(
                    executor,
                    new DebugTrace.Check("inventory health", "http", "http://inventory:8080/healthz",
                            Duration.ofSeconds(5), span -> span.set("status", 200)),
                    new DebugTrace.Check("payments health", "http", "http://payments:8080/healthz",
                            Duration.ofMillis(100), span -> never.await()));
            try (DebugTrace.Span invoices = trace.span("invoice bucket", "storage", "s3://invoices")) {
                invoices.skip("this sample has no S3 client");
            }
            try {
                trace.traced("reserve stock", "rpc", "inventory:9090", () -> {
                    throw new IllegalStateException("no stock for sku-7");
                });
            } catch (IllegalStateException expected) {
                checkout.set("fallback", "backorder");
            }
        }
        System.out.println(trace.finish(Map.of("order", "7", "lines", 3), null));
        executor.shutdownNow();
    }

    private static void verify(String[] args) throws Exception {
        byte[] body = System.in.readAllBytes();
        DebugTrace.Auth auth = new DebugTrace.Auth(null, args[1]);
        Map<String, String> headers = Map.of(
                "x-gyrfalcon-timestamp", args[4],
                "x-gyrfalcon-signature", args[5]);
        String refusal = auth.refusal(
                args[2], args[3], body, name -> headers.get(name.toLowerCase(Locale.ROOT)), Long.parseLong(args[6]));
        System.out.println(refusal == null ? "ok" : refusal);
    }
}
