"""Makes moto's conditional S3 writes atomic, as S3's are.

moto checks If-None-Match / If-Match and then writes, with no lock between the
two, and its server answers on many threads: two writers can both pass the
check. Terraform's S3 lock file (`use_lockfile`) and the config store's
compare-and-swap both rely on exactly one winner, so writes to one bucket are
serialised here.
"""

import threading

_lock = threading.Lock()


def install() -> None:
    from moto.s3 import responses

    if getattr(responses.S3Response, "_tbctl_atomic", False):
        return
    original = responses.S3Response.put_object

    def put_object(self, *args, **kwargs):
        with _lock:
            return original(self, *args, **kwargs)

    responses.S3Response.put_object = put_object
    responses.S3Response._tbctl_atomic = True
