package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"time"
)

func main() {
	sample := flag.Bool("sample", false, "print a trace of checkout against local stand-ins, then exit")
	addr := flag.String("addr", "127.0.0.1:8080", "where to serve the debug endpoints")
	inventoryURL := flag.String("inventory-url", "http://127.0.0.1:8081/healthz", "the inventory service's health URL")
	paymentsURL := flag.String("payments-url", "http://127.0.0.1:8082/healthz", "the payment service's health URL")
	signWith := flag.String("sign", "", "print the signature of the body on stdin with this secret, then exit")
	method := flag.String("method", http.MethodGet, "with -sign: the request's method")
	pathAndQuery := flag.String("path", "/", "with -sign: the request's path and query")
	timestamp := flag.String("timestamp", "", "with -sign: the request's time, Unix seconds")
	flag.Parse()

	switch {
	case *signWith != "":
		body, err := io.ReadAll(os.Stdin)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(Sign([]byte(*signWith), *method, *pathAndQuery, body, *timestamp))
	case *sample:
		printSample()
	default:
		serve(*addr, *inventoryURL, *paymentsURL)
	}
}

// serve mounts the debug endpoint; the platform's credentials come from the environment.
func serve(addr, inventoryURL, paymentsURL string) {
	auth := Authenticator{
		Token:  os.Getenv("GYRFALCON_PROBE_TOKEN"),
		Secret: []byte(os.Getenv("GYRFALCON_PROBE_HMAC_SECRET")),
	}
	if !auth.Configured() {
		log.Fatal("set GYRFALCON_PROBE_TOKEN or GYRFALCON_PROBE_HMAC_SECRET: debug endpoints show the insides of a service")
	}
	mux := http.NewServeMux()
	handler := checkout(inventoryURL, paymentsURL, 2*time.Second)
	mux.Handle("/debug/checkout", DebugEndpoint("orders", auth, []string{http.MethodGet}, handler))
	server := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	log.Printf("debug endpoint on http://%s/debug/checkout", addr)
	log.Fatal(server.ListenAndServe())
}

// checkout is the example handler: what a checkout depends on, each call in a span,
// the two health checks at once with their own timeouts.
func checkout(inventoryURL, paymentsURL string, timeout time.Duration) HandlerFunc {
	return func(ctx context.Context, params map[string]any) (any, error) {
		ctx, prepare := StartSpan(ctx, "prepare checkout", "internal", "")
		defer prepare.End(nil)

		_, resolve := StartSpan(ctx, "resolve localhost", "rpc", "localhost")
		addresses, err := net.DefaultResolver.LookupHost(ctx, "localhost")
		resolve.Set("addresses", len(addresses))
		resolve.End(err)

		RunChecks(ctx,
			Check{Name: "inventory health", Kind: "http", Target: inventoryURL, Timeout: timeout, Run: httpGet(inventoryURL)},
			Check{Name: "payments health", Kind: "http", Target: paymentsURL, Timeout: timeout, Run: httpGet(paymentsURL)},
		)

		_, invoices := StartSpan(ctx, "invoice bucket", "storage", "s3://invoices")
		invoices.Skip("this template has no S3 client")
		return map[string]any{"order": params["order"]}, nil
	}
}

// httpGet is a check: GET url under the check's context; a 4xx or 5xx fails it.
func httpGet(url string) func(ctx context.Context, span *Span) error {
	return func(ctx context.Context, span *Span) error {
		request, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		response, err := http.DefaultClient.Do(request)
		if err != nil {
			return err
		}
		defer response.Body.Close()
		span.Set("status", response.StatusCode)
		if response.StatusCode >= 400 {
			return fmt.Errorf("HTTP %d", response.StatusCode)
		}
		return nil
	}
}

// printSample runs checkout against two stand-ins, one healthy and one that never
// answers (so the sample shows a timeout), and prints the trace.
func printSample() {
	inventory := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
	}))
	defer inventory.Close()
	payments := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // answers nothing until the caller gives up
	}))
	defer payments.Close()

	handle := checkout(inventory.URL+"/healthz", payments.URL+"/healthz", 100*time.Millisecond)
	trace := NewTrace("orders", "/debug/checkout")
	result, err := handle(WithTrace(context.Background(), trace), map[string]any{"order": "7"})
	payload, err := trace.Finish(result, err)
	if err != nil {
		log.Fatal(err)
	}
	var indented bytes.Buffer
	if err := json.Indent(&indented, payload, "", "  "); err != nil {
		log.Fatal(err)
	}
	fmt.Println(indented.String())
}
