"""The runtime configuration store: the documents in config/, their checks, and their S3 bucket.

One module per verb (check, push, pull, versions, rollback, sync); documents,
canonical, envelope, bucket and store are what they share.
"""
