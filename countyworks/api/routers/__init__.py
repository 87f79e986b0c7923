"""The resources of `/api/v1/`, one router per domain, each with its request and response schemas.

Reads go through the per-resource querysets of `countyworks.api.auth` (policy ∩ token region);
writes call the same services as the screens, so a rule is enforced once. An object outside what
the caller may read answers 404, not 403, so the API does not reveal what exists elsewhere.
Response schemas read model instances directly (`resolve_*` for derived fields).
"""
