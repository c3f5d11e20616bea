"""What one HTTP connection may hold of the server: time for its request head and body, and a seat.

uvicorn (its h11 protocol) times only the wait between requests (``timeout_keep_alive``): a
connection that sends nothing, half a request head, or a head announcing a body it never
sends is kept for good, and connections are accepted while file descriptors last.
``guarded_protocol`` is uvicorn's h11 protocol with those bounds, and with its own refusals
(a malformed request, a timeout, no seat left) answered in the API's JSON error shape, as a
route's would be. ``presspipe serve`` runs it; its options set ``ConnectionLimits``.
"""

from __future__ import annotations

import asyncio
import json
from http import HTTPStatus

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol, RequestResponseCycle

from presspipe.limits import ConnectionLimits

MAX_HEAD_BYTES = 16 * 1024
"""Most bytes of a request head held before it is complete (h11's limit, uvicorn's default):
past it, a 400. It bounds what a connection that never ends its head holds of memory."""


def refusal(status: int, code: str, message: str, retry_after: int | None = None) -> bytes:
    """A whole HTTP/1.1 response closing the connection, in the API's error shape, as bytes:
    written straight to the socket, whatever state h11 is in."""
    body = json.dumps({"error": {"code": code, "message": message, "details": []}}).encode()
    head = [
        f"HTTP/1.1 {status} {HTTPStatus(status).phrase}",
        "content-type: application/json",
        f"content-length: {len(body)}",
        "connection: close",
        "x-content-type-options: nosniff",
    ]
    if retry_after is not None:
        head.append(f"retry-after: {retry_after}")
    return ("\r\n".join(head) + "\r\n\r\n").encode("ascii") + body


def guarded_protocol(limits: ConnectionLimits) -> type[H11Protocol]:
    """uvicorn's h11 protocol bounded by ``limits``; give it to ``uvicorn.Config(http=...)``."""

    class GuardedH11Protocol(H11Protocol):
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._head_timer: asyncio.TimerHandle | None = None
            self._body_timer: asyncio.TimerHandle | None = None
            if len(self.connections) > limits.max_connections:
                message = (
                    f"the server holds {limits.max_connections:,} connections, its limit: try again shortly"
                )
                self._close_with(refusal(503, "too_many_connections", message, 1))
                return
            self._arm_head_timer()

        def data_received(self, data: bytes) -> None:
            # A kept-alive connection's next head is timed from its first byte (the wait before
            # it is uvicorn's keep-alive timeout).
            if self._head_timer is None and self.conn.their_state is h11.IDLE:
                self._arm_head_timer()
            super().data_received(data)

        def handle_events(self) -> None:
            before = self.cycle
            super().handle_events()
            if self.cycle is not before and self.cycle is not None:  # a request head came in
                self._cancel_timers()
                self._body_timer = self.loop.call_later(limits.body_timeout, self._body_late, self.cycle)

        def on_response_complete(self) -> None:
            # A response sent before the whole body came in (a 413) keeps the body's clock.
            if self.conn.their_state is not h11.SEND_BODY:
                self._cancel_timers()
            super().on_response_complete()

        def connection_lost(self, exc: Exception | None) -> None:
            self._cancel_timers()
            super().connection_lost(exc)

        def send_400_response(self, msg: str) -> None:
            # uvicorn's own answer is text/plain; a response already begun can only be cut.
            if self.cycle is not None and self.cycle.response_started:
                self.transport.close()
                return
            message = (
                "the request is not valid HTTP/1.1: a malformed request line or header, "
                f"or a head over {MAX_HEAD_BYTES:,} bytes"
            )
            self._close_with(refusal(400, "bad_request", message))

        def _arm_head_timer(self) -> None:
            self._head_timer = self.loop.call_later(limits.header_timeout, self._head_late)

        def _cancel_timers(self) -> None:
            for timer in (self._head_timer, self._body_timer):
                if timer is not None:
                    timer.cancel()
            self._head_timer = self._body_timer = None

        def _head_late(self) -> None:
            self._head_timer = None
            if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
                return
            if not self.conn.trailing_data[0]:
                self.transport.close()  # nothing sent at all: nothing to answer
                return
            message = f"the request head did not arrive complete within {limits.header_timeout:g} s"
            self._close_with(refusal(408, "request_timeout", message))

        def _body_late(self, cycle: RequestResponseCycle) -> None:
            self._body_timer = None
            if (
                self.cycle is not cycle
                or self.transport.is_closing()
                or self.conn.their_state is not h11.SEND_BODY
            ):
                return
            if cycle.response_started:
                self.transport.close()
            else:
                message = f"the request body did not arrive complete within {limits.body_timeout:g} s"
                self._close_with(refusal(408, "request_timeout", message))
            # The route waiting for the rest of the body is told the client is gone.
            cycle.disconnected = True
            cycle.message_event.set()

        def _close_with(self, response: bytes) -> None:
            if self.cycle is not None:
                self.cycle.disconnected = True  # what the route sends after this is dropped
                self.cycle.message_event.set()
            self.transport.write(response)
            self.transport.close()

    return GuardedH11Protocol
