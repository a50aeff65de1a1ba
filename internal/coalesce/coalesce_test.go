package coalesce

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// countingListener counts the writes that reach its connections.
type countingListener struct {
	net.Listener
	writes *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	return countingConn{c, l.writes}, err
}

type countingConn struct {
	net.Conn
	writes *atomic.Int64
}

func (c countingConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

func (c countingConn) CloseWrite() error { return c.Conn.(*net.TCPConn).CloseWrite() }

// server serves a page of 4,500 bytes at /page and of 1 MiB at /big
// through the coalescing listener and counts the writes.
func server(t *testing.T) (*httptest.Server, *atomic.Int64) {
	page := strings.Repeat("p", 4500)
	big := strings.Repeat("b", 1<<20)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := page
		if r.URL.Path == "/big" {
			body = big
		}
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = io.WriteString(w, body)
	}))
	writes := new(atomic.Int64)
	srv.Listener = Listener(countingListener{srv.Listener, writes})
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, writes
}

// Responses on one kept-alive connection arrive whole, each in one write;
// a large one arrives whole too. (On one processor, as on the portal's
// busiest machines, net/http's reader of the next request never runs in
// the middle of a response; on more it may send the first part early.)
func TestOneWritePerResponse(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	srv, writes := server(t)
	client := srv.Client()
	for i := range 5 {
		res, err := client.Get(srv.URL + "/page")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if len(body) != 4500 {
			t.Fatalf("request %d: %d bytes", i, len(body))
		}
	}
	if n := writes.Load(); n != 5 {
		t.Errorf("%d writes for 5 responses of 4.5 KB, want 5", n)
	}
	res, err := client.Get(srv.URL + "/big")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if len(body) != 1<<20 {
		t.Errorf("large response: %d bytes", len(body))
	}
}

// A response that closes the connection, and a HEAD request, arrive too.
func TestCloseAndHead(t *testing.T) {
	srv, _ := server(t)
	c, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, _ = io.WriteString(c, "HEAD /page HTTP/1.1\r\nHost: x\r\n\r\nGET /page HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	all, err := io.ReadAll(c)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(all, []byte("HTTP/1.1 200 OK")); n != 2 || !bytes.HasSuffix(all, []byte(strings.Repeat("p", 4500))) {
		t.Errorf("got %d responses, %d bytes", n, len(all))
	}
}

// A connection keeps writes until it is read or closed, and writes at once
// what would grow beyond MaxBuffered.
func TestKeepsWritesUntilRead(t *testing.T) {
	a, b := net.Pipe()
	defer b.Close()
	writes := new(atomic.Int64)
	c := &conn{Conn: countingConn{a, writes}}
	got := make(chan []byte)
	go func() {
		buf := make([]byte, MaxBuffered+10)
		n, _ := io.ReadAtLeast(b, buf, 6)
		got <- buf[:n]
	}()
	_, _ = c.Write([]byte("abc"))
	_, _ = c.Write([]byte("def"))
	if writes.Load() != 0 {
		t.Fatal("a small write was sent before the connection was read")
	}
	go func() { _, _ = c.Read(make([]byte, 1)) }()
	if g := <-got; string(g) != "abcdef" || writes.Load() != 1 {
		t.Errorf("read sent %q in %d writes, want abcdef in 1", g, writes.Load())
	}
	go func() { _, _ = io.Copy(io.Discard, b) }()
	_, _ = c.Write([]byte("x"))
	_, _ = c.Write(make([]byte, MaxBuffered))
	if writes.Load() != 3 {
		t.Errorf("%d writes after a write beyond the buffer, want 3 (what was kept, then the large one)", writes.Load())
	}
	_ = c.Close()
}
