// Command debugprobe is a Gyrfalcon debug endpoint in Go, standard library only. Copy
// trace.go, auth.go and handler.go into your service, write handlers like checkout in
// main.go, and mount them with DebugEndpoint. The JSON is the gyrfalcon.trace/v1 format
// the platform draws. "go run . -sample" prints a trace without serving anything.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"sync"
	"time"
)

// Format names the trace format (and its version) for the platform.
const Format = "gyrfalcon.trace/v1"

// Status is the outcome of a span or of the whole trace.
type Status string

const (
	StatusOK      Status = "ok"
	StatusError   Status = "error"
	StatusTimeout Status = "timeout"
	StatusSkipped Status = "skipped"
)

// severity picks the trace's status, the worst of its spans'. A skipped span ranks
// below ok: it did not run, so it neither spoils nor vouches for the trace.
var severity = map[Status]int{StatusSkipped: 0, StatusOK: 1, StatusTimeout: 2, StatusError: 3}

// Span is one timed call; its exported fields are the JSON.
type Span struct {
	Name       string         `json:"name"`
	Kind       string         `json:"kind"`
	Target     string         `json:"target,omitempty"`
	StartMs    float64        `json:"start_ms"`
	DurationMs float64        `json:"duration_ms"`
	Status     Status         `json:"status"`
	Error      string         `json:"error,omitempty"`
	Attributes map[string]any `json:"attributes,omitempty"`
	Children   []*Span        `json:"children,omitempty"`

	trace *Trace
	start time.Time
	ended bool
}

// Trace collects the spans of one debug request.
type Trace struct {
	Format     string         `json:"format"`
	Service    string         `json:"service"`
	Endpoint   string         `json:"endpoint"`
	StartedAt  string         `json:"started_at"`
	DurationMs float64        `json:"duration_ms"`
	Status     Status         `json:"status"`
	Error      string         `json:"error,omitempty"`
	Attributes map[string]any `json:"attributes,omitempty"`
	Result     any            `json:"result,omitempty"`
	Spans      []*Span        `json:"spans"`

	mu    sync.Mutex // spans start, change and end from several goroutines
	start time.Time  // carries Go's monotonic clock: offsets survive clock changes
	ended bool
}

type contextKey int

const (
	traceKey contextKey = iota
	spanKey
)

// NewTrace starts a trace now.
func NewTrace(service, endpoint string) *Trace {
	now := time.Now()
	return &Trace{
		Format:    Format,
		Service:   service,
		Endpoint:  endpoint,
		StartedAt: now.UTC().Format("2006-01-02T15:04:05.000Z07:00"),
		Status:    StatusOK,
		Spans:     []*Span{},
		start:     now,
	}
}

// WithTrace returns a context in which StartSpan records into t.
func WithTrace(ctx context.Context, t *Trace) context.Context {
	return context.WithValue(ctx, traceKey, t)
}

// StartSpan opens a span under the one ctx carries (or at the top of the trace) and
// returns a context carrying it, for the calls made inside. Outside a trace, or once
// the trace has finished, the span is nil, and a nil span's methods do nothing.
func StartSpan(ctx context.Context, name, kind, target string) (context.Context, *Span) {
	t, _ := ctx.Value(traceKey).(*Trace)
	if t == nil {
		return ctx, nil
	}
	parent, _ := ctx.Value(spanKey).(*Span)
	now := time.Now()
	s := &Span{Name: name, Kind: kind, Target: target, Status: StatusOK, trace: t, start: now}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.ended {
		return ctx, nil
	}
	s.StartMs = milliseconds(now.Sub(t.start))
	if parent != nil {
		parent.Children = append(parent.Children, s)
	} else {
		t.Spans = append(t.Spans, s)
	}
	return context.WithValue(ctx, spanKey, s), s
}

// End closes the span. A non-nil err marks it "error" with err's message, or "timeout"
// when it is a context deadline.
func (s *Span) End(err error) {
	switch {
	case err == nil:
		s.finish("", "")
	case errors.Is(err, context.DeadlineExceeded):
		s.finish(StatusTimeout, err.Error())
	default:
		s.finish(StatusError, err.Error())
	}
}

// Skip ends the span as not run, saying why (a client not configured here).
func (s *Span) Skip(reason string) { s.finish(StatusSkipped, reason) }

// Fail ends the span as failed with a message of your own ("HTTP 503").
func (s *Span) Fail(message string) { s.finish(StatusError, message) }

// Set records an attribute worth showing. Strings, integers, booleans and finite
// floats go as they are; anything else as its fmt.Sprint.
func (s *Span) Set(key string, value any) {
	if s == nil {
		return
	}
	switch v := value.(type) {
	case nil, string, bool, int, int32, int64, uint, uint32, uint64:
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			value = fmt.Sprint(v)
		}
	default:
		value = fmt.Sprint(v)
	}
	s.trace.mu.Lock()
	defer s.trace.mu.Unlock()
	if s.Attributes == nil {
		s.Attributes = map[string]any{}
	}
	s.Attributes[key] = value
}

// finish ends the span once: a check's goroutine left behind at its timeout cannot
// turn "timeout" into something else afterwards.
func (s *Span) finish(status Status, message string) {
	if s == nil {
		return
	}
	s.trace.mu.Lock()
	defer s.trace.mu.Unlock()
	if s.ended {
		return
	}
	s.ended = true
	s.DurationMs = milliseconds(time.Since(s.start))
	if status != "" {
		s.Status = status
		s.Error = message
	}
}

// Finish ends the trace with what the handler returned and returns the trace's JSON.
// An err is the trace's error (status "error"); spans still open are shown as
// timeouts up to now, since nobody waited for them.
func (t *Trace) Finish(result any, err error) ([]byte, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.ended {
		t.ended = true
		t.DurationMs = milliseconds(time.Since(t.start))
		t.Result = result
		if worst := settle(t.Spans, t.DurationMs); worst != "" {
			t.Status = worst
		}
		if err != nil {
			t.Status = StatusError
			t.Error = err.Error()
		}
	}
	payload, marshalErr := json.Marshal(t)
	if marshalErr == nil {
		return payload, nil
	}
	// The result was not JSON (a channel, a NaN): show the trace without it.
	t.Result = nil
	if t.Attributes == nil {
		t.Attributes = map[string]any{}
	}
	t.Attributes["probe.result_not_json"] = marshalErr.Error()
	return json.Marshal(t)
}

// settle orders spans by start, closes the ones still open, and returns the worst
// status among them and their children ("" for none).
func settle(spans []*Span, traceMs float64) Status {
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].StartMs < spans[j].StartMs })
	worst := Status("")
	for _, s := range spans {
		if !s.ended {
			s.ended = true
			s.Status = StatusTimeout
			s.Error = "still running when the trace ended"
			s.DurationMs = math.Max(0, traceMs-s.StartMs)
		}
		for _, status := range []Status{s.Status, settle(s.Children, traceMs)} {
			if status != "" && (worst == "" || severity[status] > severity[worst]) {
				worst = status
			}
		}
	}
	return worst
}

func milliseconds(d time.Duration) float64 {
	return float64(d.Microseconds()) / 1000
}

// Check is one call to a dependency for RunChecks. Run gets a context that ends at
// the timeout and the check's span, to Set attributes on.
type Check struct {
	Name    string
	Kind    string
	Target  string
	Timeout time.Duration
	Run     func(ctx context.Context, span *Span) error
}

// RunChecks runs the checks concurrently, each in its own span with its own timeout,
// and returns once each has finished or timed out. One past its timeout is marked
// "timeout" and left behind: its context is cancelled, but a call that ignores its
// context goes on in its goroutine.
func RunChecks(ctx context.Context, checks ...Check) {
	var wg sync.WaitGroup
	for _, check := range checks {
		wg.Add(1)
		go func(check Check) {
			defer wg.Done()
			runCheck(ctx, check)
		}(check)
	}
	wg.Wait()
}

func runCheck(ctx context.Context, check Check) {
	spanCtx, span := StartSpan(ctx, check.Name, check.Kind, check.Target)
	limited, cancel := context.WithTimeout(spanCtx, check.Timeout)
	defer cancel()
	done := make(chan error, 1) // buffered: a goroutine left behind can still send and end
	go func() { done <- check.Run(limited, span) }()
	timedOut := fmt.Sprintf("did not finish within %s s",
		strconv.FormatFloat(check.Timeout.Seconds(), 'g', -1, 64))
	select {
	case err := <-done:
		if err != nil && errors.Is(limited.Err(), context.DeadlineExceeded) {
			span.finish(StatusTimeout, timedOut)
		} else {
			span.End(err)
		}
	case <-limited.Done():
		if errors.Is(limited.Err(), context.DeadlineExceeded) {
			span.finish(StatusTimeout, timedOut)
		} else {
			span.End(limited.Err())
		}
	}
}
