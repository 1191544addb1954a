package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const (
	TimestampHeader = "X-Gyrfalcon-Timestamp"
	SignatureHeader = "X-Gyrfalcon-Signature"
	DefaultWindow   = 300 * time.Second
)

// Authenticator accepts the platform's requests: a shared bearer token, an
// HMAC-SHA256 signature, or either of the two when both are set.
type Authenticator struct {
	Token  string
	Secret []byte
	Window time.Duration    // DefaultWindow when zero
	Now    func() time.Time // time.Now when nil; set it in tests
}

// Configured reports whether any credential is set: serve nothing without one.
func (a Authenticator) Configured() bool {
	return a.Token != "" || len(a.Secret) > 0
}

// Refusal returns "" when r is authenticated, else what is missing or wrong (never the
// secret). body is the request's body, read already.
func (a Authenticator) Refusal(r *http.Request, body []byte) string {
	var reasons []string
	if header := r.Header.Get("Authorization"); len(header) > 7 && strings.EqualFold(header[:7], "bearer ") {
		given := strings.TrimSpace(header[7:])
		switch {
		case a.Token == "":
			reasons = append(reasons, "bearer tokens are not accepted here")
		case subtle.ConstantTimeCompare([]byte(given), []byte(a.Token)) == 1:
			return ""
		default:
			reasons = append(reasons, "the bearer token is not valid")
		}
	}
	timestamp, signature := r.Header.Get(TimestampHeader), r.Header.Get(SignatureHeader)
	if timestamp != "" || signature != "" {
		if len(a.Secret) == 0 {
			reasons = append(reasons, "signed requests are not accepted here")
		} else {
			// RequestURI is the request target as sent: the path and query that were signed.
			reason := a.signatureRefusal(r.Method, r.RequestURI, body, timestamp, signature)
			if reason == "" {
				return ""
			}
			reasons = append(reasons, reason)
		}
	}
	if len(reasons) == 0 {
		return "missing credentials: send Authorization: Bearer <token> or sign the request"
	}
	return strings.Join(reasons, "; ")
}

func (a Authenticator) signatureRefusal(method, pathAndQuery string, body []byte, timestamp, signature string) string {
	if timestamp == "" {
		return TimestampHeader + " is missing"
	}
	if signature == "" {
		return SignatureHeader + " is missing"
	}
	seconds, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil || strings.ContainsAny(timestamp, "+-") {
		return TimestampHeader + " must be whole Unix seconds"
	}
	now, window := time.Now, a.Window
	if a.Now != nil {
		now = a.Now
	}
	if window == 0 {
		window = DefaultWindow
	}
	skew := now().Sub(time.Unix(seconds, 0))
	if skew < 0 {
		skew = -skew
	}
	if skew > window {
		return fmt.Sprintf("%s is %.0f s away from this server's clock, more than the %.0f s allowed",
			TimestampHeader, skew.Seconds(), window.Seconds())
	}
	if !strings.HasPrefix(signature, "sha256=") {
		return SignatureHeader + " must be sha256=<hex digest>"
	}
	expected := Sign(a.Secret, method, pathAndQuery, body, timestamp)
	if !hmac.Equal([]byte(expected), []byte(strings.ToLower(strings.TrimSpace(signature)))) {
		return SignatureHeader + " does not match this request"
	}
	return ""
}

// Sign returns the X-Gyrfalcon-Signature value: "sha256=" and the hex HMAC-SHA256 of
// timestamp + "\n" + METHOD + "\n" + path and query + "\n" + hex SHA-256 of the body.
func Sign(secret []byte, method, pathAndQuery string, body []byte, timestamp string) string {
	digest := sha256.Sum256(body)
	message := timestamp + "\n" + strings.ToUpper(method) + "\n" + pathAndQuery + "\n" + hex.EncodeToString(digest[:])
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(message))
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}
