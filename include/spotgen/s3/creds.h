/* creds.h - AWS credentials, found in the order AWS tools look:
 *
 *   1. the environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN
 *   2. the shared files: AWS_SHARED_CREDENTIALS_FILE (~/.aws/credentials) and
 *      AWS_CONFIG_FILE (~/.aws/config), profile AWS_PROFILE (or "default")
 *   3. ECS container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, or
 *      AWS_CONTAINER_CREDENTIALS_FULL_URI with AWS_CONTAINER_AUTHORIZATION_TOKEN
 *   4. the EC2 instance role through IMDSv2 (a session token first), at
 *      AWS_EC2_METADATA_SERVICE_ENDPOINT (http://169.254.169.254) unless
 *      AWS_EC2_METADATA_DISABLED=true
 *
 * Temporary credentials (ECS, IMDS) are fetched again when less than five
 * minutes are left before their expiry. Secrets never appear in messages. */
#ifndef SPOTGEN_CREDS_H
#define SPOTGEN_CREDS_H

#include "spotgen/base/err.h"
#include "spotgen/s3/sigv4.h"

typedef enum { SG_CREDS_ENV, SG_CREDS_FILE, SG_CREDS_ECS, SG_CREDS_IMDS } sg_creds_source;

typedef struct sg_creds_provider {
  sg_creds_source source;
  sg_creds creds;
  char profile[128];
  char region[64];          /* from the config file's profile, or empty */
} sg_creds_provider;

/*! sg_creds_find() : the first source of the chain that has credentials.
 *  @return : SG_OK, or SG_EUSAGE saying where spotgen looked. */
sg_err sg_creds_find(sg_creds_provider *p);

/*! sg_creds_get() : the current credentials, fetched again first when they
 *  expire within five minutes of `now` (unix seconds). */
sg_err sg_creds_get(sg_creds_provider *p, double now, const sg_creds **out);

/*! sg_creds_refresh() : fetches temporary credentials again now (after the
 *  server said they expired). @return : SG_OK, or an error for static ones. */
sg_err sg_creds_refresh(sg_creds_provider *p);

/*! sg_creds_source_name() : "environment", "shared credentials file" ... */
const char *sg_creds_source_name(const sg_creds_provider *p);

#endif
