"""The local target: moto's server plus the small extensions our Terraform and deployer need."""
