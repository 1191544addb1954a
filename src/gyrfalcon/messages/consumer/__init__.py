"""The consumers: a background service of every worker that keeps one Kafka consumer
per cluster in step with the subscriptions, and writes what they read to the store."""
