"""The pull-request plan comment: from `terraform show -json` to one sticky comment per environment.

load -> mask (collect every secret first) -> summarize, reasons, drift, cost,
checkov -> markdown (sections in the issue's order) -> truncate (fit GitHub's
limit, markdown kept valid) -> post (find our comment by its marker, update
or create). build.py ties them together; the command only prints and posts.
"""
