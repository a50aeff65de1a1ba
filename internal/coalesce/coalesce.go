// Package coalesce sends each HTTP/1.1 response in one write.
//
// net/http writes a response through a 4 KiB buffer: a page of 4.5 KiB
// (a compressed page and its header) leaves in two writes, and every
// write is a system call that costs about as much as the rest of serving a
// cached page. A connection of this package keeps what is written until
// the server reads again, which an HTTP/1.1 server does as soon as a
// response is complete (to read the next request, or to notice that the
// client left), or closes the connection; it then sends it all in one
// write. What grows beyond MaxBuffered is sent at once, so a large
// download streams as before. Nothing in the portal streams a response
// that waits for anything but the next request.
package coalesce

import (
	"net"
	"sync"
)

// MaxBuffered is how many bytes a connection keeps before it writes.
const MaxBuffered = 64 << 10

// Listener returns ln whose connections coalesce their writes.
func Listener(ln net.Listener) net.Listener { return listener{ln} }

type listener struct{ net.Listener }

func (l listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &conn{Conn: c}, nil
}

// conn keeps its writes until it is read, closed, or has MaxBuffered bytes.
// A write error is returned by the call that sends the bytes.
type conn struct {
	net.Conn
	mu  sync.Mutex
	buf []byte
}

func (c *conn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.buf)+len(p) <= MaxBuffered {
		c.buf = append(c.buf, p...)
		return len(p), nil
	}
	if err := c.flushLocked(); err != nil {
		return 0, err
	}
	return c.Conn.Write(p)
}

// Flush sends what is kept.
func (c *conn) Flush() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.flushLocked()
}

func (c *conn) flushLocked() error {
	if len(c.buf) == 0 {
		return nil
	}
	_, err := c.Conn.Write(c.buf)
	c.buf = c.buf[:0]
	if cap(c.buf) > MaxBuffered {
		c.buf = nil
	}
	return err
}

// Read sends what is kept first: the peer may be waiting for it.
func (c *conn) Read(p []byte) (int, error) {
	if err := c.Flush(); err != nil {
		return 0, err
	}
	return c.Conn.Read(p)
}

func (c *conn) Close() error {
	ferr := c.Flush()
	if err := c.Conn.Close(); err != nil {
		return err
	}
	return ferr
}

// CloseWrite sends what is kept and shuts down the writing side, as
// net/http does before closing a connection it answered.
func (c *conn) CloseWrite() error {
	if err := c.Flush(); err != nil {
		return err
	}
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}
