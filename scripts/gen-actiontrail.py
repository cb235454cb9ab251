#!/usr/bin/env python3
"""Deterministic synthetic ActionTrail events, as JSON Lines on standard output.

Usage:
    python3 scripts/gen-actiontrail.py --events 1000000 --seed 7 --distinct 2000 > events.jsonl

  --events N    how many events to write (default 1000)
  --seed S      seed of the generator: the same arguments give byte-identical output (default 1)
  --distinct D  how many distinct ECS calls (action + parameters + account + region) the
                successful ECS events are drawn from (default 200); memory of a consumer that
                groups calls should grow with D, not with N
  --principals P how many RAM users / roles the events come from (default 3)

What it writes (Python 3.11, standard library only; never reads the clock):
  - ECS `ApiCall` events with realistic request parameters, named as in the ECS API:
    DescribeInstances (InstanceIds as a JSON-array string), StartInstance, StopInstance,
    RebootInstance, DeleteInstance, RunInstances (ImageId, InstanceType, SecurityGroupIds.N,
    VSwitchId, Amount), AttachDisk, DetachDisk, DescribeDisks (DiskIds as a JSON-array string),
    CreateSnapshot, DeleteSnapshot, ModifyInstanceAttribute, AuthorizeSecurityGroup,
    DescribeSecurityGroups, CreateImage; each with RegionId, in one of a few regions and
    accounts (16-digit account ids);
  - about 2% non-ECS events (VPC and OSS API calls, console sign-ins), which a reader must
    skip with a reason;
  - about 1% failed ECS calls (`errorCode` `NoPermission` or `Forbidden.RAM`), drawn outside
    the distinct set;
  - event times increasing from 2024-01-01T00:00:00Z, a few seconds apart.

Ids are plain lower-case hex, never masked, so every call resolves to real ARNs.
"""

import argparse
import json
import random
import sys

REGIONS = ["cn-hangzhou", "cn-beijing", "cn-shanghai", "ap-southeast-1"]
ACCOUNTS = ["1234567890123456", "2345678901234567"]
INSTANCE_TYPES = ["ecs.g7.large", "ecs.c7.xlarge", "ecs.r7.2xlarge", "ecs.t6-c1m1.large"]
AGENTS = ["AlibabaCloud (Linux; amd64) Terraform/1.5.7", "aliyun-cli/3.0.200", "Python-SDK/2.0"]


def hex_id(rng, prefix, length=20):
    return prefix + "".join(rng.choice("0123456789abcdefghijklmnopqrstuvwxyz") for _ in range(length))


class World:
    """A fixed pool of resources per account and region, so calls repeat realistically."""

    def __init__(self, rng):
        self.pool = {}
        for account in ACCOUNTS:
            for region in REGIONS:
                zone = region + "-" + rng.choice("abcdefgh")
                self.pool[(account, region)] = {
                    "zone": zone,
                    "instances": [hex_id(rng, "i-") for _ in range(12)],
                    "disks": [hex_id(rng, "d-") for _ in range(12)],
                    "snapshots": [hex_id(rng, "s-") for _ in range(6)],
                    "groups": [hex_id(rng, "sg-") for _ in range(4)],
                    "vswitches": [hex_id(rng, "vsw-") for _ in range(3)],
                    "images": [hex_id(rng, "m-") for _ in range(3)],
                }


def ecs_call(rng, world):
    """One ECS call: (action, params, account, region)."""
    account = rng.choice(ACCOUNTS)
    region = rng.choice(REGIONS)
    pool = world.pool[(account, region)]
    action = rng.choice([
        "DescribeInstances", "DescribeInstances", "StartInstance", "StopInstance", "RebootInstance",
        "DeleteInstance", "RunInstances", "AttachDisk", "DetachDisk", "DescribeDisks",
        "CreateSnapshot", "DeleteSnapshot", "ModifyInstanceAttribute", "AuthorizeSecurityGroup",
        "DescribeSecurityGroups", "CreateImage",
    ])
    params = {"RegionId": region}
    if action == "DescribeInstances":
        if rng.random() < 0.6:
            ids = rng.sample(pool["instances"], rng.randint(1, 3))
            params["InstanceIds"] = json.dumps(ids)
        params["PageSize"] = rng.choice([10, 50, 100])
    elif action in ("StartInstance", "StopInstance", "RebootInstance", "DeleteInstance"):
        params["InstanceId"] = rng.choice(pool["instances"])
        if action == "StopInstance" and rng.random() < 0.3:
            params["ForceStop"] = rng.choice([True, False])
    elif action == "RunInstances":
        params["ImageId"] = rng.choice(pool["images"])
        params["InstanceType"] = rng.choice(INSTANCE_TYPES)
        for index, group in enumerate(rng.sample(pool["groups"], rng.randint(1, 2)), start=1):
            params[f"SecurityGroupIds.{index}"] = group
        params["VSwitchId"] = rng.choice(pool["vswitches"])
        params["ZoneId"] = pool["zone"]
        params["Amount"] = rng.randint(1, 3)
        params["SystemDisk.Category"] = rng.choice(["cloud_essd", "cloud_efficiency"])
    elif action in ("AttachDisk", "DetachDisk"):
        params["InstanceId"] = rng.choice(pool["instances"])
        params["DiskId"] = rng.choice(pool["disks"])
    elif action == "DescribeDisks":
        if rng.random() < 0.5:
            params["DiskIds"] = json.dumps(rng.sample(pool["disks"], rng.randint(1, 3)))
        else:
            params["InstanceId"] = rng.choice(pool["instances"])
    elif action == "CreateSnapshot":
        params["DiskId"] = rng.choice(pool["disks"])
        params["SnapshotName"] = "daily-" + str(rng.randint(1, 30))
    elif action == "DeleteSnapshot":
        params["SnapshotId"] = rng.choice(pool["snapshots"])
    elif action == "ModifyInstanceAttribute":
        params["InstanceId"] = rng.choice(pool["instances"])
        params["InstanceName"] = "web-" + str(rng.randint(1, 9))
    elif action == "AuthorizeSecurityGroup":
        params["SecurityGroupId"] = rng.choice(pool["groups"])
        params["IpProtocol"] = rng.choice(["tcp", "udp"])
        params["PortRange"] = rng.choice(["22/22", "80/80", "443/443"])
        params["SourceCidrIp"] = rng.choice(["10.0.0.0/8", "192.168.0.0/16"])
    elif action == "DescribeSecurityGroups":
        if rng.random() < 0.5:
            params["SecurityGroupId"] = rng.choice(pool["groups"])
    elif action == "CreateImage":
        params["InstanceId"] = rng.choice(pool["instances"])
        params["ImageName"] = "golden-" + str(rng.randint(1, 5))
    return action, params, account, region


def identity(rng, account, principals):
    index = rng.randrange(principals)
    if index % 3 == 2:
        role = f"deployer{index}"
        session = f"session{rng.randint(1, 4)}"
        return {
            "type": "assumed-role",
            "accountId": account,
            "principalId": f"30000000000{index:05d}:{session}",
            "userName": f"{role}:{session}",
            "accessKeyId": "STS." + hex_id(rng, "", 16),
            "sessionContext": {"attributes": {"mfaAuthenticated": "false", "creationDate": "2024-01-01T00:00:00Z"}},
        }
    return {
        "type": "ram-user",
        "accountId": account,
        "principalId": f"20000000000{index:05d}",
        "userName": f"user{index}",
        "accessKeyId": "LTAI" + hex_id(rng, "", 16),
    }


def timestamp(seconds):
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    # Days from 2024-01-01 (a leap year); the benchmark spans well under a year.
    month_lengths = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    year, month = 2024, 0
    while days >= month_lengths[month]:
        days -= month_lengths[month]
        month += 1
        if month == 12:
            month, year = 0, year + 1
    return f"{year:04d}-{month + 1:02d}-{days + 1:02d}T{hours:02d}:{minutes:02d}:{secs:02d}Z"


def event_id(rng):
    hexa = "%032X" % rng.getrandbits(128)
    return f"{hexa[:8]}-{hexa[8:12]}-{hexa[12:16]}-{hexa[16:20]}-{hexa[20:]}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--distinct", type=int, default=200)
    parser.add_argument("--principals", type=int, default=3)
    args = parser.parse_args()
    if args.events < 0 or args.distinct < 1 or args.principals < 1:
        parser.error("--events must be >= 0, --distinct and --principals >= 1")

    rng = random.Random(args.seed)
    world = World(rng)
    calls = [ecs_call(rng, world) for _ in range(args.distinct)]
    out = sys.stdout
    seconds = 0
    dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
    for _ in range(args.events):
        seconds += rng.randint(0, 3)
        draw = rng.random()
        if draw < 0.02:
            account = rng.choice(ACCOUNTS)
            region = rng.choice(REGIONS)
            kind = rng.choice(["vpc", "oss", "console"])
            if kind == "vpc":
                action, service, source, params = "DescribeVpcs", "Vpc", "vpc.aliyuncs.com", {"RegionId": region}
                event_type = "ApiCall"
            elif kind == "oss":
                action, service, source, params = "GetObject", "Oss", "oss.aliyuncs.com", {"bucketName": "logs"}
                event_type = "ApiCall"
            else:
                action, service, source, params = "ConsoleSignin", "AasSub", "signin.aliyun.com", {}
                event_type = "ConsoleSignin"
            error = None
        else:
            if draw < 0.03:
                action, params, account, region = ecs_call(rng, world)
                error = rng.choice(["NoPermission", "Forbidden.RAM"])
            else:
                action, params, account, region = rng.choice(calls)
                error = None
            service, source, event_type = "Ecs", "ecs.aliyuncs.com", "ApiCall"
        request_id = event_id(rng)
        event = {
            "eventId": request_id,
            "eventVersion": 1,
            "eventSource": source,
            "eventType": event_type,
            "eventName": action,
            "serviceName": service,
            "acsRegion": region,
            "eventTime": timestamp(seconds),
            "recipientAccountId": account,
            "requestId": request_id,
            "sourceIpAddress": f"203.0.113.{rng.randint(1, 254)}",
            "userAgent": rng.choice(AGENTS),
            "userIdentity": identity(rng, account, args.principals),
            "requestParameters": params,
            "additionalEventData": {"Scheme": rng.choice(["https", "https", "http"])},
        }
        if error:
            event["errorCode"] = error
            event["errorMessage"] = "You are not authorized to do this action."
        out.write(dumps(event))
        out.write("\n")


if __name__ == "__main__":
    main()
