// The platforms whose workload tokens Grantry's federated credentials are
// usually made for: the issuer each uses and the shape of its `sub`, so the
// dashboard's form and the docs fill them the same way.
export const FEDERATION_PRESETS = ["github", "gitlab", "kubernetes", "spiffe"] as const;
export type FederationPreset = (typeof FEDERATION_PRESETS)[number];

export type PresetInfo = {
  label: string;
  /** The issuer to fill in; "" when each installation has its own. */
  issuer: string;
  /** The subject format, with the parts to replace in capitals. */
  subject: string;
  hint: string;
};

export const PRESET_INFO: Record<FederationPreset, PresetInfo> = {
  github: {
    label: "GitHub Actions",
    issuer: "https://token.actions.githubusercontent.com",
    subject: "repo:OWNER/REPO:ref:refs/heads/BRANCH",
    hint: "The workflow needs `permissions: id-token: write` and asks for a token with this audience. Other subjects: repo:OWNER/REPO:environment:NAME, repo:OWNER/REPO:pull_request.",
  },
  gitlab: {
    label: "GitLab CI",
    issuer: "https://gitlab.com",
    subject: "project_path:GROUP/PROJECT:ref_type:branch:ref:BRANCH",
    hint: "Declare `id_tokens:` in the job with `aud` set to this audience. A self-managed GitLab is its own issuer.",
  },
  kubernetes: {
    label: "Kubernetes service account",
    issuer: "",
    subject: "system:serviceaccount:NAMESPACE:NAME",
    hint: "The issuer is the cluster's (kubectl get --raw /.well-known/openid-configuration). An in-cluster issuer on a private address must be listed in GRANTRY_OUTBOUND_ALLOW.",
  },
  spiffe: {
    label: "SPIFFE JWT-SVID",
    issuer: "",
    subject: "spiffe://TRUST-DOMAIN/PATH",
    hint: "The issuer is the SPIRE OIDC Discovery Provider's URL; the audience is what the workload asks its JWT-SVID for.",
  },
};
