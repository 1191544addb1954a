"""The hello module's own migration branch."""
