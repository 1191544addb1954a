package dev.gyrfalcon.probe;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Gyrfalcon debug trace (format gyrfalcon.trace/v1) with no dependency: timed, nested
 * spans, checks run at once with their own timeouts, the JSON written by hand, and the
 * platform's token or HMAC signature checked with javax.crypto. Copy this file into your
 * service; {@code DebugController.java} shows it behind a Spring endpoint.
 *
 * <p>Spans nest per thread: {@link #span} opens one under the innermost span this thread
 * has open. Close each with try-with-resources.
 */
public final class DebugTrace {
    public static final String FORMAT = "gyrfalcon.trace/v1";
    static final int MAX_SPANS = 10_000;
    static final int MAX_TEXT = 10_000;

    /** Declared from best to worst: the trace's status is the worst of its spans'. */
    public enum Status {
        /** Below ok: a span that did not run neither spoils nor vouches for the trace. */
        SKIPPED("skipped"),
        OK("ok"),
        TIMEOUT("timeout"),
        ERROR("error");

        final String json;

        Status(String json) {
            this.json = json;
        }
    }

    /** Thrown to fail a span or check with exactly this message ("HTTP 503"). */
    public static final class CheckFailed extends Exception {
        private static final long serialVersionUID = 1L;

        public CheckFailed(String message) {
            super(message);
        }
    }

    /** The work of a check; it may set attributes on its span. */
    @FunctionalInterface
    public interface CheckBody {
        void run(Span span) throws Exception;
    }

    /** One call to a dependency for {@link #runChecks}. */
    public record Check(String name, String kind, String target, Duration timeout, CheckBody body) {}

    private final String service;
    private final String endpoint;
    private final Instant startedAt = Instant.now();
    private final long startNanos = System.nanoTime();
    private final List<Span> roots = new ArrayList<>();
    private final Map<String, Object> attributes = new LinkedHashMap<>();
    private final ThreadLocal<Deque<Span>> open = ThreadLocal.withInitial(ArrayDeque::new);
    private int recorded;
    private int dropped;
    private long endNanos = -1;
    private Object result;
    private String error;

    public DebugTrace(String service, String endpoint) {
        this.service = service;
        this.endpoint = endpoint;
    }

    /** A span under the innermost one this thread has open; close it (try-with-resources). */
    public Span span(String name, String kind, String target) {
        Deque<Span> stack = open.get();
        Span span = new Span(name, kind, target);
        synchronized (this) {
            if (endNanos >= 0) {
                return span; // the trace is over: recorded nowhere
            }
            if (recorded >= MAX_SPANS) {
                dropped++;
                return span;
            }
            recorded++;
            Span parent = stack.peek();
            (parent == null ? roots : parent.children).add(span);
        }
        stack.push(span);
        return span;
    }

    /** Runs body in a span, marking it failed ("Type: message") when body throws. */
    public <T> T traced(String name, String kind, String target, Callable<T> body) throws Exception {
        try (Span span = span(name, kind, target)) {
            try {
                return body.call();
            } catch (Exception failure) {
                span.fail(failure);
                throw failure;
            }
        }
    }

    /**
     * Runs the checks at once on executor, each in a span under the current one, and
     * returns once each has finished or reached its own timeout ("timeout", "did not
     * finish within 2 s"). A timed-out check's thread is interrupted; a call that ignores
     * interrupts goes on in it, so give clients timeouts of their own.
     */
    public void runChecks(ExecutorService executor, Check... checks) {
        record Running(Check check, Span span, Future<?> future, long deadline) {}
        List<Running> running = new ArrayList<>();
        for (Check check : checks) {
            Span span = span(check.name(), check.kind(), check.target());
            open.get().remove(span); // started here, it runs in another thread
            Future<?> future = executor.submit(() -> {
                Deque<Span> stack = open.get();
                stack.push(span);
                try {
                    check.body().run(span);
                    return null;
                } finally {
                    stack.remove(span);
                }
            });
            running.add(new Running(check, span, future, System.nanoTime() + check.timeout().toNanos()));
        }
        for (Running run : running) {
            try {
                run.future().get(Math.max(0, run.deadline() - System.nanoTime()), TimeUnit.NANOSECONDS);
                run.span().close();
            } catch (TimeoutException late) {
                run.future().cancel(true);
                run.span().end(Status.TIMEOUT, "did not finish within " + seconds(run.check().timeout()) + " s");
            } catch (ExecutionException failed) {
                run.span().fail(failed.getCause());
                run.span().close();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                run.span().end(Status.ERROR, "interrupted");
            }
        }
    }

    /** Sets an attribute of the whole trace. */
    public synchronized void set(String key, Object value) {
        attributes.put(key, value);
    }

    /**
     * Ends the trace with what the handler returned, or what it threw (the trace's error),
     * and returns the trace's JSON. Spans still open are shown as timeouts up to now.
     */
    public synchronized String finish(Object result, Throwable failure) {
        if (endNanos < 0) {
            endNanos = System.nanoTime();
            this.result = result;
            this.error = failure == null ? null : describe(failure);
        }
        open.remove();
        Status[] worst = {null};
        StringBuilder spans = new StringBuilder();
        writeSpans(spans, roots, worst);
        Status status = error != null ? Status.ERROR : worst[0] == null ? Status.OK : worst[0];
        StringBuilder out = new StringBuilder(spans.length() + 256);
        out.append("{\"format\":").append(quote(FORMAT));
        out.append(",\"service\":").append(quote(service));
        out.append(",\"endpoint\":").append(quote(endpoint));
        String started = DateTimeFormatter.ISO_INSTANT.format(startedAt.truncatedTo(ChronoUnit.MILLIS));
        out.append(",\"started_at\":").append(quote(started));
        out.append(",\"duration_ms\":").append(milliseconds(endNanos - startNanos));
        out.append(",\"status\":").append(quote(status.json));
        if (error != null) {
            out.append(",\"error\":").append(quote(cap(error)));
        }
        Map<String, Object> shown = new LinkedHashMap<>(attributes);
        if (dropped > 0) {
            shown.put("probe.dropped_spans", dropped);
        }
        if (!shown.isEmpty()) {
            out.append(",\"attributes\":");
            writeAttributes(out, shown);
        }
        if (result != null) {
            out.append(",\"result\":");
            writeJson(out, result);
        }
        return out.append(",\"spans\":").append(spans).append('}').toString();
    }

    /** The body of a refusal: {"error": message}. */
    public static String errorJson(String message) {
        return "{\"error\":" + quote(message) + "}";
    }

    /** One timed call. Set attributes, skip or fail it while it is open. */
    public final class Span implements AutoCloseable {
        private final String name;
        private final String kind;
        private final String target;
        private final long startNanos = System.nanoTime();
        private final Map<String, Object> attributes = new LinkedHashMap<>();
        private final List<Span> children = new ArrayList<>();
        private long endNanos = -1;
        private Status status = Status.OK;
        private String error;

        private Span(String name, String kind, String target) {
            this.name = name;
            this.kind = kind;
            this.target = target;
        }

        public Span set(String key, Object value) {
            synchronized (DebugTrace.this) {
                attributes.put(key, value);
            }
            return this;
        }

        /** Marks the span as not run, saying why. */
        public void skip(String reason) {
            mark(Status.SKIPPED, reason);
        }

        /** Marks the span as failed with a message of your own. */
        public void fail(String message) {
            mark(Status.ERROR, message);
        }

        /** Marks the span as failed by failure ("Type: message"). */
        public void fail(Throwable failure) {
            mark(Status.ERROR, describe(failure));
        }

        @Override
        public void close() {
            end(null, null);
        }

        private void mark(Status status, String message) {
            synchronized (DebugTrace.this) {
                if (endNanos < 0) {
                    this.status = status;
                    this.error = message;
                }
            }
        }

        /** Ends the span once: a timed-out check's thread cannot change it afterwards. */
        private void end(Status status, String message) {
            synchronized (DebugTrace.this) {
                if (endNanos >= 0) {
                    return;
                }
                if (status != null) {
                    this.status = status;
                    this.error = message;
                }
                endNanos = System.nanoTime();
            }
            open.get().remove(this);
        }
    }

    private void writeSpans(StringBuilder out, List<Span> spans, Status[] worst) {
        List<Span> ordered = new ArrayList<>(spans);
        ordered.sort((a, b) -> Long.compare(a.startNanos, b.startNanos));
        out.append('[');
        for (int index = 0; index < ordered.size(); index++) {
            if (index > 0) {
                out.append(',');
            }
            writeSpan(out, ordered.get(index), worst);
        }
        out.append(']');
    }

    private void writeSpan(StringBuilder out, Span span, Status[] worst) {
        boolean stillOpen = span.endNanos < 0 || span.endNanos > endNanos;
        Status status = stillOpen ? Status.TIMEOUT : span.status;
        String spanError = stillOpen ? "still running when the trace ended" : span.error;
        long end = stillOpen ? endNanos : span.endNanos;
        if (worst[0] == null || status.ordinal() > worst[0].ordinal()) {
            worst[0] = status;
        }
        out.append("{\"name\":").append(quote(cap(span.name, 200)));
        out.append(",\"kind\":").append(quote(span.kind));
        if (span.target != null) {
            out.append(",\"target\":").append(quote(cap(span.target, 1000)));
        }
        out.append(",\"start_ms\":").append(milliseconds(span.startNanos - startNanos));
        out.append(",\"duration_ms\":").append(milliseconds(Math.max(0, end - span.startNanos)));
        out.append(",\"status\":").append(quote(status.json));
        if (spanError != null) {
            out.append(",\"error\":").append(quote(cap(spanError)));
        }
        if (!span.attributes.isEmpty()) {
            out.append(",\"attributes\":");
            writeAttributes(out, span.attributes);
        }
        if (!span.children.isEmpty()) {
            out.append(",\"children\":");
            writeSpans(out, span.children, worst);
        }
        out.append('}');
    }

    /** Attributes are flat: strings, finite numbers, booleans, null; the rest as text. */
    private static void writeAttributes(StringBuilder out, Map<String, Object> values) {
        out.append('{');
        int index = 0;
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            if (index == 100) {
                break;
            }
            if (index++ > 0) {
                out.append(',');
            }
            out.append(quote(cap(entry.getKey(), 200))).append(':');
            Object value = entry.getValue();
            if (value == null || value instanceof Boolean || value instanceof Number) {
                writeJson(out, value);
            } else {
                out.append(quote(cap(String.valueOf(value))));
            }
        }
        out.append('}');
    }

    /** Any JSON: maps, lists and arrays of objects, strings, numbers, booleans, null. */
    private static void writeJson(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            out.append(Double.isFinite(number) ? String.valueOf(number) : quote(String.valueOf(number)));
        } else if (value instanceof Number) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            int index = 0;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (index++ > 0) {
                    out.append(',');
                }
                out.append(quote(String.valueOf(entry.getKey()))).append(':');
                writeJson(out, entry.getValue());
            }
            out.append('}');
        } else if (value instanceof Iterable<?> || value instanceof Object[]) {
            Iterable<?> items = value instanceof Object[] array ? List.of(array) : (Iterable<?>) value;
            out.append('[');
            int index = 0;
            for (Object item : items) {
                if (index++ > 0) {
                    out.append(',');
                }
                writeJson(out, item);
            }
            out.append(']');
        } else {
            out.append(quote(String.valueOf(value)));
        }
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int index = 0; index < text.length(); index++) {
            char c = text.charAt(index);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static String cap(String text) {
        return cap(text, MAX_TEXT);
    }

    private static String cap(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length);
    }

    private static String milliseconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1_000_000.0);
    }

    private static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
    }

    static String describe(Throwable failure) {
        if (failure instanceof CheckFailed) {
            return failure.getMessage();
        }
        String message = failure.getMessage();
        String type = failure.getClass().getSimpleName();
        return message == null || message.isEmpty() ? type : type + ": " + message;
    }

    /**
     * The platform's credentials: a shared bearer token, an HMAC-SHA256 secret, or both (either
     * is then enough). The signed string is timestamp, METHOD, path and query, and the hex
     * SHA-256 of the body, joined by newlines; the timestamp must be within 300 s.
     */
    public static final class Auth {
        public static final String TIMESTAMP_HEADER = "X-Gyrfalcon-Timestamp";
        public static final String SIGNATURE_HEADER = "X-Gyrfalcon-Signature";
        static final long WINDOW_SECONDS = 300;
        private static final Pattern UNIX_SECONDS = Pattern.compile("[0-9]{1,15}");
        private final byte[] token;
        private final byte[] secret;

        /** Either may be null; not both: debug endpoints show the insides of a service. */
        public Auth(String token, String secret) {
            boolean noToken = token == null || token.isEmpty();
            boolean noSecret = secret == null || secret.isEmpty();
            if (noToken && noSecret) {
                throw new IllegalArgumentException("set a token or an HMAC secret for the debug endpoints");
            }
            this.token = noToken ? null : token.getBytes(StandardCharsets.UTF_8);
            this.secret = noSecret ? null : secret.getBytes(StandardCharsets.UTF_8);
        }

        /** From GYRFALCON_PROBE_TOKEN and GYRFALCON_PROBE_HMAC_SECRET. */
        public static Auth fromEnvironment() {
            return new Auth(System.getenv("GYRFALCON_PROBE_TOKEN"), System.getenv("GYRFALCON_PROBE_HMAC_SECRET"));
        }

        /**
         * Null when the request is authenticated, else what is missing or wrong (never the
         * secret). header looks a header up by name, case-insensitively (request::getHeader).
         */
        public String refusal(
                String method, String pathAndQuery, byte[] body, UnaryOperator<String> header, long nowSeconds) {
            List<String> reasons = new ArrayList<>();
            String authorization = header.apply("Authorization");
            if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
                if (token == null) {
                    reasons.add("bearer tokens are not accepted here");
                } else if (MessageDigest.isEqual(given, token)) {
                    return null;
                } else {
                    reasons.add("the bearer token is not valid");
                }
            }
            String timestamp = header.apply(TIMESTAMP_HEADER);
            String signature = header.apply(SIGNATURE_HEADER);
            if (timestamp != null || signature != null) {
                if (secret == null) {
                    reasons.add("signed requests are not accepted here");
                } else {
                    String reason = signatureRefusal(method, pathAndQuery, body, timestamp, signature, nowSeconds);
                    if (reason == null) {
                        return null;
                    }
                    reasons.add(reason);
                }
            }
            return reasons.isEmpty()
                    ? "missing credentials: send Authorization: Bearer <token> or sign the request"
                    : String.join("; ", reasons);
        }

        private String signatureRefusal(
                String method, String pathAndQuery, byte[] body, String timestamp, String signature, long now) {
            if (timestamp == null) {
                return TIMESTAMP_HEADER + " is missing";
            }
            if (signature == null) {
                return SIGNATURE_HEADER + " is missing";
            }
            if (!UNIX_SECONDS.matcher(timestamp).matches()) {
                return TIMESTAMP_HEADER + " must be whole Unix seconds";
            }
            long skew = Math.abs(now - Long.parseLong(timestamp));
            if (skew > WINDOW_SECONDS) {
                return TIMESTAMP_HEADER + " is " + skew + " s away from this server's clock, more than the "
                        + WINDOW_SECONDS + " s allowed";
            }
            if (!signature.startsWith("sha256=")) {
                return SIGNATURE_HEADER + " must be sha256=<hex digest>";
            }
            byte[] expected = sign(secret, method, pathAndQuery, body, timestamp).getBytes(StandardCharsets.UTF_8);
            byte[] given = signature.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
            return MessageDigest.isEqual(expected, given) ? null : SIGNATURE_HEADER + " does not match this request";
        }

        /** The X-Gyrfalcon-Signature value: "sha256=" and the hex HMAC-SHA256 of the signed string. */
        public static String sign(byte[] secret, String method, String pathAndQuery, byte[] body, String timestamp) {
            try {
                HexFormat hex = HexFormat.of();
                String bodyDigest = hex.formatHex(MessageDigest.getInstance("SHA-256").digest(body));
                String message = timestamp + "\n" + method.toUpperCase(Locale.ROOT) + "\n" + pathAndQuery + "\n" + bodyDigest;
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret, "HmacSHA256"));
                return "sha256=" + hex.formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
            } catch (GeneralSecurityException missing) {
                throw new IllegalStateException("this JVM has no SHA-256 or HmacSHA256", missing);
            }
        }
    }
}
