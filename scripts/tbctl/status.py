"""What the service runs now: revision, its git tag and commit, task counts, rollout state."""

from tbctl import release as releases, revisions, service


def status(target, outputs: dict, env) -> dict:
    svc = service.describe(target, outputs["cluster_name"], outputs["service_name"], env.short)
    arn = svc.get("taskDefinition", "")
    found = revisions.describe(target, arn) if arn else None
    tags = revisions.tag_map(found[1]) if found else {}
    primary = service.primary(svc) or {}
    containers = (found[0] if found else {}).get("containerDefinitions", [])
    image = next((c.get("image") for c in containers), None)
    # A revision may carry a tag's name on another image (development's IMAGE_TAG=, or an older tbctl in production).
    matches = (not releases.image_problem(containers, outputs["repository_url"], releases.image_of(tags["git_tag"]))
               if tags.get("git_tag") else None)
    return {
        "environment": env.name,
        "cluster": outputs["cluster_name"],
        "service": outputs["service_name"],
        "revision": revisions.label(arn) if arn else None,
        "task_definition_arn": arn,
        "git_tag": tags.get("git_tag") or (f"(none: {tags['managed-by']} baseline)" if tags.get("managed-by") else None),
        "git_commit": tags.get("git_commit"),
        "git_dirty": tags.get("git_dirty") == "true",
        "image": image,
        "image_is_the_tags": matches,
        "desired": svc.get("desiredCount", 0),
        "running": svc.get("runningCount", 0),
        "pending": svc.get("pendingCount", 0),
        "rollout": primary.get("rolloutState", "COMPLETED" if primary else None),
        "rollout_reason": primary.get("rolloutStateReason"),
        "deployments": len(svc.get("deployments", [])),
    }


def lines(state: dict) -> list[str]:
    commit = state["git_commit"] or "-"
    return [
        f"{state['service']} ({state['environment']}, cluster {state['cluster']})",
        f"  revision  {state['revision']}",
        f"  git tag   {state['git_tag'] or '-'}",
        f"  commit    {commit[:12]}" + ("  git_dirty: built from a tree with uncommitted changes" if state["git_dirty"] else ""),
        f"  image     {state['image'] or '-'}" + (f"  (not the image of git tag {state['git_tag']})"
                                                      if state["image_is_the_tags"] is False else ""),
        f"  tasks     {state['running']}/{state['desired']} running, {state['pending']} pending",
        f"  rollout   {state['rollout'] or '-'}" + (f" ({state['deployments']} deployments)" if state["deployments"] > 1 else ""),
    ]
