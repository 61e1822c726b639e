"""Checks of the Helm chart and the container image, over real `helm` output."""
