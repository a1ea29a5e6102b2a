output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr" {
  description = "IPv4 CIDR of the VPC (the only source allowed to reach the service's port)."
  value       = aws_vpc.this.cidr_block
}

output "private_subnet_ids" {
  description = "IDs of the two private subnets, one per availability zone: where the tasks run."
  value       = aws_subnet.private[*].id
}

output "public_subnet_ids" {
  description = "IDs of the two public subnets, one per availability zone: where the NAT gateways live."
  value       = aws_subnet.public[*].id
}

output "availability_zones" {
  description = "The two availability zones the subnets are spread over."
  value       = local.azs
}

output "nat_gateway_ids" {
  description = "IDs of the NAT gateways (one, or one per zone)."
  value       = aws_nat_gateway.this[*].id
}
