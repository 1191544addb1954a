"""Protobuf schemas uploaded at run time: compiled by protoc in a child process, kept as
``FileDescriptorSet`` bytes, turned into message classes in memory (ADR 0007)."""
