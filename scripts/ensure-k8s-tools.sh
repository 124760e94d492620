#!/usr/bin/env bash
# The pinned Kubernetes tools of test/kubernetes/tools-requirements.txt (kubectl, kubernetes-validate)
# in .cache/k8s-tools; prints its bin directory.
exec bash "$(dirname "${BASH_SOURCE[0]}")/ensure-tool-venv.sh" k8s-tools test/kubernetes/tools-requirements.txt \
  kubectl kubernetes-validate
