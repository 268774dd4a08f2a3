"""A YAML and key check of docker-compose.yml, for scripts/compose-check.sh (needs PyYAML).

    python scripts/compose_check.py [docker-compose.yml]

Checks what Docker's own `docker compose config` would reject that matters here (unknown keys,
a malformed ${VARIABLE}, a named volume or a service that is not declared, a health condition on a
service without a health check) and what the portal relies on: the five services, each app service's
production environment, and the media volume mounted where MEDIA_ROOT points, at a directory the
image's Dockerfile creates and gives to the user it runs as. Prints each problem and exits 1, or
prints one line and exits 0.
"""

import re
import shlex
import sys
from pathlib import Path

import yaml

TOP_LEVEL = {"version", "name", "include", "services", "networks", "volumes", "configs", "secrets"}
SERVICE_KEYS = set(
    [
        "annotations",
        "attach",
        "blkio_config",
        "build",
        "cap_add",
        "cap_drop",
        "cgroup",
        "cgroup_parent",
        "command",
        "configs",
        "container_name",
        "cpu_count",
        "cpu_percent",
        "cpu_period",
        "cpu_quota",
        "cpu_rt_period",
        "cpu_rt_runtime",
        "cpu_shares",
        "cpus",
        "cpuset",
        "credential_spec",
        "depends_on",
        "deploy",
        "develop",
        "device_cgroup_rules",
        "devices",
        "dns",
        "dns_opt",
        "dns_search",
        "domainname",
        "entrypoint",
        "env_file",
        "environment",
        "expose",
        "extends",
        "external_links",
        "extra_hosts",
        "gpus",
        "group_add",
        "healthcheck",
        "hostname",
        "image",
        "init",
        "ipc",
        "isolation",
        "labels",
        "links",
        "logging",
        "mac_address",
        "mem_limit",
        "mem_reservation",
        "mem_swappiness",
        "memswap_limit",
        "network_mode",
        "networks",
        "oom_kill_disable",
        "oom_score_adj",
        "pid",
        "pids_limit",
        "platform",
        "ports",
        "post_start",
        "pre_stop",
        "privileged",
        "profiles",
        "provider",
        "pull_policy",
        "read_only",
        "restart",
        "runtime",
        "scale",
        "secrets",
        "security_opt",
        "shm_size",
        "stdin_open",
        "stop_grace_period",
        "stop_signal",
        "storage_opt",
        "sysctls",
        "tmpfs",
        "tty",
        "ulimits",
        "use_api_socket",
        "user",
        "userns_mode",
        "uts",
        "volumes",
        "volumes_from",
        "working_dir",
    ]
)
HEALTHCHECK_KEYS = {"test", "interval", "timeout", "retries", "start_period", "start_interval", "disable"}
CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}
APP_SERVICES = ("web", "worker", "beat")
SERVICES = {*APP_SERVICES, "postgres", "redis"}
# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message}, ${NAME?message}, ${NAME:+other}, ${NAME+other}
VARIABLE = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*(?:(?::?[-?+])[^}]*)?\}")


def extensions_removed(mapping):
    return {k: v for k, v in mapping.items() if not str(k).startswith("x-")}


def environment(service):
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return env


def volume_mounts(service):
    """(source, target) of each volume of the service, short or long syntax."""
    for volume in service.get("volumes") or []:
        if isinstance(volume, str):
            parts = volume.split(":")
            if len(parts) >= 2:
                yield parts[0], parts[1]
        elif isinstance(volume, dict):
            yield volume.get("source"), volume.get("target")


def dockerfile_owned_dirs(dockerfile):
    """The directories the Dockerfile's RUN lines create (mkdir -p) and chown to its USER."""
    text = dockerfile.read_text().replace("\\\n", " ")
    users = re.findall(r"^USER\s+(\S+)", text, flags=re.M)
    user = users[-1].split(":")[0] if users else "root"
    made, owned = set(), set()
    for run in re.findall(r"^RUN\s+(.*)$", text, flags=re.M):
        for command in re.split(r"&&|;|\|\|", run):
            words = shlex.split(command)
            if words[:1] == ["mkdir"]:
                made.update(w for w in words[1:] if not w.startswith("-"))
            elif words[:1] == ["chown"]:
                args = [w for w in words[1:] if not w.startswith("-")]
                if args and args[0].split(":")[0] == user:
                    owned.update(args[1:])
    return user, made & owned


def _check_variables(text):
    return [
        f"malformed variable {match.group(0)!r}"
        for match in re.finditer(r"\$(?!\$)\{[^}]*\}?", text.replace("$$", ""))
        if not VARIABLE.fullmatch(match.group(0))
    ]


def _check_healthcheck(name, health):
    problems = [f"service {name}: unknown healthcheck key {key!r}" for key in health if key not in HEALTHCHECK_KEYS]
    if "test" not in health:
        problems.append(f"service {name}: healthcheck without a test")
    return problems


def _check_depends(name, depends, services):
    problems = []
    for other in depends:
        if other not in services:
            problems.append(f"service {name}: depends on {other!r}, which is not a service")
            continue
        condition = depends[other].get("condition") if isinstance(depends, dict) else None
        if condition is not None and condition not in CONDITIONS:
            problems.append(f"service {name}: unknown condition {condition!r} on {other}")
        if condition == "service_healthy" and "healthcheck" not in services[other]:
            problems.append(f"service {name}: waits for {other} to be healthy, but {other} has no healthcheck")
    return problems


def _check_service(name, service, services, volumes):
    if not isinstance(service, dict):
        return [f"service {name}: not a mapping"]
    problems = [
        f"service {name}: unknown key {key!r}" for key in extensions_removed(service) if key not in SERVICE_KEYS
    ]
    if "image" not in service and "build" not in service:
        problems.append(f"service {name}: neither image nor build")
    for key, value in environment(service).items():
        if isinstance(value, (dict, list)):
            problems.append(f"service {name}: environment {key} is not a plain value")
    health = service.get("healthcheck")
    if health is not None:
        problems += _check_healthcheck(name, health)
    problems += _check_depends(name, service.get("depends_on") or {}, services)
    for source, _ in volume_mounts(service):
        if source and not source.startswith((".", "/", "~", "$")) and source not in volumes:
            problems.append(f"service {name}: volume {source!r} is not declared under volumes")
    return problems


def check(path):
    text = path.read_text()
    problems = _check_variables(text)
    try:
        compose = yaml.safe_load(text)
    except yaml.YAMLError as error:
        return [f"not valid YAML: {error}"]
    if not isinstance(compose, dict):
        return ["the file is not a mapping"]
    problems += [f"unknown top-level key {key!r}" for key in extensions_removed(compose) if key not in TOP_LEVEL]
    services = compose.get("services") or {}
    volumes = compose.get("volumes") or {}
    if set(services) != SERVICES:
        problems.append(f"services are {sorted(services)}, expected {sorted(SERVICES)}")
    for name, service in services.items():
        problems += _check_service(name, service, services, volumes)
    problems += check_app_services(path, services, volumes)
    return problems


def _check_app_environment(name, env):
    problems = []
    if env.get("DJANGO_ENV") != "production":
        problems.append(f"service {name}: DJANGO_ENV is not production")
    for key, scheme in (("DATABASE_URL", "postgres://"), ("CELERY_BROKER_URL", "redis://")):
        if not str(env.get(key, "")).startswith(scheme):
            problems.append(f"service {name}: {key} is not a {scheme} address")
    if "SECRET_KEY" not in env:
        problems.append(f"service {name}: no SECRET_KEY")
    return problems


def _check_media(path, name, service, media, volumes):
    """MEDIA_ROOT is a named volume's mount point, and the image creates it for its user."""
    problems = []
    mounted = [source for source, target in volume_mounts(service) if target == media]
    if not mounted or mounted[0] not in volumes:
        problems.append(f"service {name}: MEDIA_ROOT {media} is not a named volume's mount point")
    build = service.get("build")
    context = build if isinstance(build, str) else (build or {}).get("context")
    if not context:
        return problems
    dockerfile = (path.parent / context / "Dockerfile").resolve()
    if not dockerfile.is_file():
        return [*problems, f"service {name}: no Dockerfile at {dockerfile}"]
    user, owned = dockerfile_owned_dirs(dockerfile)
    if media not in owned:
        problems.append(
            f"service {name}: the image does not create {media} and chown it to {user} "
            "(a fresh named volume mounted there would not be writable)"
        )
    return problems


def check_app_services(path, services, volumes):
    problems = []
    for name in APP_SERVICES:
        service = services.get(name)
        if not isinstance(service, dict):
            continue
        if not service.get("command"):
            problems.append(f"service {name}: no command")
        env = environment(service)
        problems += _check_app_environment(name, env)
        media = env.get("MEDIA_ROOT")
        if not media:
            problems.append(f"service {name}: no MEDIA_ROOT")
            continue
        problems += _check_media(path, name, service, media, volumes)
    return problems


def main(argv):
    path = Path(argv[1] if len(argv) > 1 else "docker-compose.yml")
    problems = check(path)
    for problem in problems:
        print(f"{path}: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"{path}: YAML and keys check out ({', '.join(sorted(SERVICES))}; media volume writable by the image's user)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
