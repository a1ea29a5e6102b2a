"""On the local target, make the release's image exist in the emulator's ECR.

There is no registry to push to locally, so a tiny manifest stands in for the
image; the deploy's verification then runs the same as on AWS.
"""

import hashlib
import json

from tbctl import target as targets


def ensure(target, repository: str, image_tag: str) -> bool:
    """Put a stand-in image for `image_tag` into `repository` when missing. True when it was added."""
    ecr = targets.client(target, "ecr")
    try:
        ecr.describe_images(repositoryName=repository, imageIds=[{"imageTag": image_tag}])
        return False
    except ecr.exceptions.ImageNotFoundException:
        pass
    # One digest per tag, so each tag is its own image as it would be after a real build.
    config = "sha256:" + hashlib.sha256(image_tag.encode()).hexdigest()
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 2, "digest": config},
        "layers": [],
    }
    ecr.put_image(repositoryName=repository, imageManifest=json.dumps(manifest), imageTag=image_tag)
    return True
