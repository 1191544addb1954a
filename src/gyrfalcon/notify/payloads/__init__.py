"""One payload builder per channel type: what the outbox stores and the sender sends."""
