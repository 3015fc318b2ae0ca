"""One-shot init of the AWS side of the compose stack (moto): the lake bucket (with the multipart
clean-up rule of deploy/README.md section 4) and the Glue Schema Registry. The Glue database and tables are not created here: lakestream creates them itself, as it
does on AWS. Idempotent, so `docker compose up` can run it again.

Reads AWS_ENDPOINT_URL, AWS_REGION, LAKE_BUCKET, LAKE_PREFIX, REGISTRY_NAME (and dummy credentials)
from the environment.
"""
import os
import sys
import time

import boto3
from botocore.exceptions import ClientError, EndpointConnectionError


def wait_for_endpoint(s3, attempts=30):
    for attempt in range(1, attempts + 1):
        try:
            s3.list_buckets()
            return
        except EndpointConnectionError:
            print(f"init-aws: endpoint not reachable yet ({attempt}/{attempts})", flush=True)
            time.sleep(1)
    sys.exit("init-aws: AWS endpoint never became reachable")


def ensure_bucket(s3, bucket, region):
    try:
        s3.head_bucket(Bucket=bucket)
        print(f"init-aws: bucket {bucket} exists", flush=True)
        return
    except ClientError as e:
        if e.response["Error"]["Code"] not in ("404", "NoSuchBucket", "NotFound"):
            raise
    args = {"Bucket": bucket}
    if region != "us-east-1":  # us-east-1 rejects an explicit location constraint
        args["CreateBucketConfiguration"] = {"LocationConstraint": region}
    s3.create_bucket(**args)
    print(f"init-aws: created bucket {bucket}", flush=True)


def ensure_multipart_cleanup(s3, bucket, prefix):
    """When the answer to CreateMultipartUpload is lost, the SDK's retry starts a second upload and the
    first is never aborted; this rule removes such uploads. Same rule as on AWS (deploy/README.md)."""
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": [{
        "ID": "lakestream-abort-incomplete-multipart-uploads",
        "Status": "Enabled",
        "Filter": {"Prefix": prefix},
        "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
    }]})
    print(f"init-aws: bucket {bucket} aborts incomplete multipart uploads under '{prefix}' after 1 day",
          flush=True)


def ensure_registry(glue, name):
    try:
        glue.create_registry(RegistryName=name, Description="lakestream schemas (local stack)")
        print(f"init-aws: created schema registry {name}", flush=True)
    except ClientError as e:
        if e.response["Error"]["Code"] != "AlreadyExistsException":
            raise
        print(f"init-aws: schema registry {name} exists", flush=True)


def main():
    endpoint = os.environ["AWS_ENDPOINT_URL"]
    region = os.environ.get("AWS_REGION", "us-east-1")
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name=region)
    glue = boto3.client("glue", endpoint_url=endpoint, region_name=region)
    wait_for_endpoint(s3)
    ensure_bucket(s3, os.environ["LAKE_BUCKET"], region)
    ensure_multipart_cleanup(s3, os.environ["LAKE_BUCKET"], os.environ.get("LAKE_PREFIX", "lakestream/"))
    ensure_registry(glue, os.environ.get("REGISTRY_NAME", "lakestream"))


if __name__ == "__main__":
    main()
