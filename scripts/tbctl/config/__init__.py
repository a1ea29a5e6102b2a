"""The runtime configuration store: the documents in config/, their checks, and their S3 bucket.

One module per verb (check, push, pull, versions, rollback, sync); documents,
files, canonical, envelope, bucket and store are what they share.

Rules that hold for every document, wherever it goes: at most 1 MB per file
(documents.parse, read by check and push alike); production publishes only
committed files (files.to_publish); config-sync never copies a field its schema
marks `x-environment-specific` (travel).
"""
