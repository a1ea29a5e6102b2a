"""The pull-request plan comment: from `terraform show -json` to one sticky comment per environment.

load -> mask (collect every secret first) -> summarize, reasons, drift, cost,
checkov -> markdown (dangers first, then what changes, drift, outputs, cost) -> truncate (fit GitHub's
limit, markdown kept valid) -> post (find our comment by its marker, update
or create). build.py ties them together; the command only prints and posts.
"""
