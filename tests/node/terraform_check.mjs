// Parses every .tf file of a Terraform directory with @cdktf/hcl2json (the
// HCL parser Terraform's CDK uses) and checks the security properties the
// design asks for:
//   - the data bucket has its public access blocked, default encryption, and
//     a lifecycle rule (with `filter {}`) aborting incomplete multipart
//     uploads after 1 day;
//   - no IAM statement has a `*` action or a `*` resource, nor a resource
//     spanning the whole bucket; the node role has what spotgen needs;
//   - no security group admits 0.0.0.0/0 or ::/0, and the cluster's group
//     admits itself (MPI between the nodes);
//   - the instances sit in a cluster placement group, require IMDSv2 and
//     encrypt their disks.
// Prints one line per violation and exits 1 if there is any.
//
// usage: node terraform_check.mjs DIR
import { parse } from '@cdktf/hcl2json';
import { readdirSync, readFileSync } from 'node:fs';

const dir = process.argv[2];
const files = readdirSync(dir).filter((f) => f.endsWith('.tf')).sort();
const tf = { resource: {}, data: {}, variable: {} };
for (const f of files) {
  const j = await parse(f, readFileSync(`${dir}/${f}`, 'utf8'));
  for (const kind of Object.keys(tf))
    for (const [type, byName] of Object.entries(j[kind] || {}))
      tf[kind][type] = { ...(tf[kind][type] || {}), ...byName };
}
const problems = [];
const want = (ok, msg) => { if (!ok) problems.push(msg); };
// every block of a type: [name, body] (hcl2json wraps each body in a list)
const all = (kind, type) => Object.entries(tf[kind][type] || {}).map(([n, v]) => [n, v[0]]);
const one = (v) => (Array.isArray(v) ? v[0] : v) || {};

// --- the bucket -----------------------------------------------------------------
const buckets = all('resource', 'aws_s3_bucket');
want(buckets.length >= 1, 'no aws_s3_bucket');
for (const [name] of buckets) {
  const ref = `\${aws_s3_bucket.${name}.id}`;
  const pab = all('resource', 'aws_s3_bucket_public_access_block').find(([, b]) => b.bucket === ref);
  want(pab, `bucket ${name}: no public access block`);
  if (pab)
    for (const k of ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'])
      want(pab[1][k] === true, `bucket ${name}: public access block ${k} is not true`);
  const sse = all('resource', 'aws_s3_bucket_server_side_encryption_configuration').find(([, b]) => b.bucket === ref);
  const algo = sse && one(one(one(sse[1].rule).apply_server_side_encryption_by_default)).sse_algorithm;
  want(['AES256', 'aws:kms', 'aws:kms:dsse'].includes(algo), `bucket ${name}: no default encryption`);
  const lc = all('resource', 'aws_s3_bucket_lifecycle_configuration').find(([, b]) => b.bucket === ref);
  const abort = lc && (lc[1].rule || []).find((r) => r.abort_incomplete_multipart_upload);
  want(abort, `bucket ${name}: no lifecycle rule aborting incomplete multipart uploads`);
  if (abort) {
    want(one(abort.abort_incomplete_multipart_upload).days_after_initiation === 1,
      `bucket ${name}: incomplete multipart uploads are not aborted after 1 day`);
    want(abort.status === 'Enabled', `bucket ${name}: the abort rule is not Enabled`);
    want(Array.isArray(abort.filter) && abort.filter.length === 1 && Object.keys(abort.filter[0]).length === 0,
      `bucket ${name}: the abort rule has no empty filter {} (it must cover the whole bucket)`);
  }
}

// --- IAM --------------------------------------------------------------------------
const statements = [];
for (const [name, doc] of all('data', 'aws_iam_policy_document'))
  for (const s of doc.statement || []) statements.push([`policy document ${name} ${s.sid || ''}`, s.actions || [], s.resources || []]);
for (const type of ['aws_iam_policy', 'aws_iam_role_policy'])
  for (const [name, p] of all('resource', type)) {
    if (typeof p.policy === 'string' && p.policy.trim().startsWith('{')) {
      for (const s of [].concat(JSON.parse(p.policy).Statement || []))
        statements.push([`${type}.${name}`, [].concat(s.Action || []), [].concat(s.Resource || [])]);
    } else {
      want(/^\$\{data\.aws_iam_policy_document\.[\w-]+\.json\}$/.test(p.policy),
        `${type}.${name}: a policy neither JSON nor a policy document the check can read`);
    }
  }
want(statements.length > 0, 'no IAM statements');
const granted = new Set();
for (const [where, actions, resources] of statements) {
  for (const a of actions) {
    want(!a.includes('*'), `${where}: action ${a} has a wildcard`);
    granted.add(a);
  }
  for (const r of resources) {
    want(r !== '*', `${where}: resource "*"`);
    want(!/\.arn\}\/\*$/.test(r) && !/:::[^/]+\/\*$/.test(r), `${where}: resource ${r} spans the whole bucket`);
  }
}
for (const a of ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:ListBucket', 's3:GetObject'])
  want(granted.has(a), `the node role lacks ${a}`);
want(all('resource', 'aws_iam_instance_profile').length >= 1, 'no instance profile');

// --- network ------------------------------------------------------------------------
const open = (c) => c === '0.0.0.0/0' || c === '::/0';
for (const [name, r] of all('resource', 'aws_vpc_security_group_ingress_rule'))
  want(!open(r.cidr_ipv4) && !open(r.cidr_ipv6), `ingress rule ${name} admits the whole internet`);
for (const [name, r] of all('resource', 'aws_security_group_rule'))
  if (r.type === 'ingress')
    want(!(r.cidr_blocks || []).some(open) && !(r.ipv6_cidr_blocks || []).some(open), `rule ${name} admits the whole internet`);
for (const [name, g] of all('resource', 'aws_security_group'))
  for (const i of g.ingress || [])
    want(!(i.cidr_blocks || []).some(open) && !(i.ipv6_cidr_blocks || []).some(open), `security group ${name} admits the whole internet`);
const groups = all('resource', 'aws_security_group').map(([n]) => n);
want(groups.length >= 1, 'no security group');
for (const g of groups) {
  const id = `\${aws_security_group.${g}.id}`;
  const self = all('resource', 'aws_vpc_security_group_ingress_rule')
    .some(([, r]) => r.security_group_id === id && r.referenced_security_group_id === id) ||
    all('resource', 'aws_security_group').some(([n, sg]) => n === g && (sg.ingress || []).some((i) => i.self === true));
  want(self, `security group ${g} does not admit itself`);
}

// --- instances ------------------------------------------------------------------------
const pgs = all('resource', 'aws_placement_group');
want(pgs.some(([, p]) => p.strategy === 'cluster'), 'no cluster placement group');
const instances = all('resource', 'aws_instance');
want(instances.length >= 1, 'no aws_instance');
for (const [name, i] of instances) {
  want(/^\$\{aws_placement_group\.[\w-]+\.(id|name)\}$/.test(i.placement_group || ''), `instance ${name}: not in the placement group`);
  want(one(i.metadata_options).http_tokens === 'required', `instance ${name}: IMDSv1 allowed`);
  want(one(i.root_block_device).encrypted === true, `instance ${name}: root volume not encrypted`);
  want(/^\$\{aws_iam_instance_profile\.[\w-]+\.name\}$/.test(i.iam_instance_profile || ''), `instance ${name}: no instance profile`);
}

for (const p of problems) console.error(`terraform: ${p}`);
if (problems.length) process.exit(1);
console.log(`terraform: ${files.length} files parsed; bucket, IAM (${statements.length} statements), network and instances pass`);
