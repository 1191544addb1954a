package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// HandlerFunc is a debug handler: it calls the service's dependencies under ctx, which
// carries the trace, and returns what it found (the trace's result).
type HandlerFunc func(ctx context.Context, params map[string]any) (any, error)

const maxBody = 1 << 20

// DebugEndpoint serves one debug endpoint: check the method and the credentials, read
// the parameters (the query for GET and DELETE, a JSON object body for POST, PUT and
// PATCH), run the handler in a fresh trace, and answer 200 with the trace, also when
// something failed: the trace says what.
func DebugEndpoint(service string, auth Authenticator, methods []string, handle HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !allowed(methods, r.Method) {
			w.Header().Set("Allow", strings.Join(methods, ", "))
			writeError(w, http.StatusMethodNotAllowed, r.Method+" is not allowed here")
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		if err != nil {
			writeError(w, http.StatusBadRequest, "the body could not be read")
			return
		}
		if len(body) > maxBody {
			writeError(w, http.StatusRequestEntityTooLarge, "the body is over 1 MiB")
			return
		}
		if reason := auth.Refusal(r, body); reason != "" {
			writeError(w, http.StatusUnauthorized, reason)
			return
		}
		params, reason := parameters(r, body)
		if reason != "" {
			writeError(w, http.StatusBadRequest, reason)
			return
		}
		trace := NewTrace(service, r.URL.Path)
		result, handlerErr := handle(WithTrace(r.Context(), trace), params)
		payload, err := trace.Finish(result, handlerErr)
		if err != nil {
			writeError(w, http.StatusInternalServerError, "the trace could not be written: "+err.Error())
			return
		}
		writeJSON(w, http.StatusOK, payload)
	})
}

func allowed(methods []string, method string) bool {
	for _, candidate := range methods {
		if candidate == method {
			return true
		}
	}
	return false
}

// parameters reads a key given once as a string and a repeated one as a list; an
// empty body is an empty object.
func parameters(r *http.Request, body []byte) (map[string]any, string) {
	params := map[string]any{}
	if r.Method == http.MethodGet || r.Method == http.MethodDelete {
		for key, values := range r.URL.Query() {
			if len(values) == 1 {
				params[key] = values[0]
			} else {
				params[key] = values
			}
		}
		return params, ""
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return params, ""
	}
	// A JSON null would leave the map nil without an error.
	if err := json.Unmarshal(body, &params); err != nil || params == nil {
		return nil, "the body must be a JSON object"
	}
	return params, ""
}

func writeJSON(w http.ResponseWriter, status int, payload []byte) {
	w.Header().Set("Content-Type", "application/json")
	// A trace is one moment of the dependencies; a cached one would mislead.
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(payload)
}

func writeError(w http.ResponseWriter, status int, message string) {
	payload, _ := json.Marshal(map[string]string{"error": message})
	writeJSON(w, status, payload)
}
