"""Reading and changing the Redis structures job systems keep, the same way for all.

Sorted sets of job payloads (scheduled, retry, dead) and lists of them (queues) are
paged in windows, filtered inside Redis by a read-only script, and changed by a
script that names each job's exact stored bytes. The adapters say which keys and
fields; this package does the reading and the moving.
"""
