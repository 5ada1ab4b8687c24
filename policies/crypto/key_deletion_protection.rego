# METADATA
# title: Keys cannot be destroyed at once
# description: >-
#   A deleted customer-managed key stays recoverable for a retention period (soft delete, the KMS waiting period)
#   and cannot be purged before that period ends, so a mistake or an attacker cannot make encrypted data unreadable.
# custom:
#   id: crypto.key_deletion_protection
#   domain: crypto
#   severity: high
#   likelihood: 2
#   impact: 5
#   kinds:
#     - key
#   remediation: >-
#     Turn on soft delete and purge protection for every Key Vault (both are required for keys that encrypt data
#     at rest); on AWS KMS keep the deletion waiting period and restrict kms:ScheduleKeyDeletion to key
#     administrators.
package plantproof.checks.crypto.key_deletion_protection

import data.plantproof.lib

# One verdict for each customer-managed key, enabled or not: a disabled key may still be needed to read old data.
results := [verdict(k, problems(k)) |
	some k in data.entities.key
	k.managedBy == "customer"
]

verdict(k, found) := lib.pass(k, "a deleted key stays recoverable and cannot be purged early") if count(found) == 0

verdict(k, found) := lib.fail(k, concat("; ", sort(found))) if count(found) > 0

problems(k) := {msg | some aspect in aspects; msg := problem(k, aspect)}

aspects := ["soft_delete", "purge_protection"]

problem(k, "soft_delete") := "soft delete is off: a deleted key is gone at once" if {
	k.softDelete == false
} else := "soft delete is not recorded" if {
	not k.softDelete in lib.booleans
}

problem(k, "purge_protection") := "purge protection is off: a deleted key can be purged before its retention ends" if {
	k.purgeProtection == false
} else := "purge protection is not recorded" if {
	not k.purgeProtection in lib.booleans
}
