"""tbctl: ships the trading bot to ECS Fargate.

Heavy libraries (boto3, jinja2, python-terraform) are imported inside the
functions that need them, so `tbctl --help` and the fast paths start quickly.
"""
