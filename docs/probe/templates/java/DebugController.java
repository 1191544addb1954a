package dev.gyrfalcon.probe;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring debug endpoint built on DebugTrace: the platform's credentials checked first,
 * then the checkout's dependencies called in spans, answered with the trace (HTTP 200
 * also when something failed: the trace says what).
 */
@RestController
public class DebugController {
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);
    private static final String INVENTORY_HEALTH = "http://inventory:8080/healthz";

    private final DebugTrace.Auth auth = DebugTrace.Auth.fromEnvironment();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CHECK_TIMEOUT).build();
    private final ExecutorService checks = Executors.newCachedThreadPool(work -> {
        Thread thread = new Thread(work, "debug-check");
        thread.setDaemon(true); // a check that hangs must not keep the JVM from stopping
        return thread;
    });
    private final JdbcTemplate jdbc;

    public DebugController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping(path = "/debug/checkout", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<String> checkout(
            HttpServletRequest request, @RequestParam(defaultValue = "1") String order) {
        // getRequestURI is the path as sent, undecoded: what the platform signed.
        String query = request.getQueryString();
        String pathAndQuery = request.getRequestURI() + (query == null ? "" : "?" + query);
        long now = System.currentTimeMillis() / 1000;
        String refusal = auth.refusal(request.getMethod(), pathAndQuery, new byte[0], request::getHeader, now);
        if (refusal != null) {
            return ResponseEntity.status(401).contentType(MediaType.APPLICATION_JSON).body(DebugTrace.errorJson(refusal));
        }

        DebugTrace trace = new DebugTrace("orders", request.getRequestURI());
        Object result = null;
        Exception failure = null;
        try {
            Integer lines = trace.traced("count order lines", "db", "orders-db:5432/orders", () -> jdbc.queryForObject(
                    "SELECT count(*) FROM order_lines WHERE order_id = ?", Integer.class, Long.parseLong(order)));
            trace.runChecks(checks, new DebugTrace.Check(
                    "inventory health", "http", INVENTORY_HEALTH, CHECK_TIMEOUT, span -> {
                        HttpRequest health = HttpRequest.newBuilder(URI.create(INVENTORY_HEALTH))
                                .timeout(CHECK_TIMEOUT)
                                .build();
                        int status = http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode();
                        span.set("status", status);
                        if (status >= 400) {
                            throw new DebugTrace.CheckFailed("HTTP " + status);
                        }
                    }));
            result = Map.of("order", order, "lines", lines);
        } catch (Exception raised) {
            failure = raised;
        }
        return ResponseEntity.ok()
                .header("Cache-Control", "no-store")
                .contentType(MediaType.APPLICATION_JSON)
                .body(trace.finish(result, failure));
    }
}
