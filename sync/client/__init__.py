"""The client side of sync: the sync engine, the HTTP transport, the login/refresh session and the
typed sync errors. The services layer (client.workspace) is the only user outside tests."""
