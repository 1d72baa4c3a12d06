#!/bin/sh
# Finishes the instance image, as root inside its filesystem, after the packages and rootfs/ are in place.
# build.sh runs it through mmdebstrap's customize hook, the Dockerfile with RUN: one recipe for both.
set -eu

# The user of the instance, as on Azure ML: uid 1000, passwordless sudo. '*' rather than a locked '!' password, so
# that key-only SSH logins are not refused as "account is locked".
useradd --uid 1000 --user-group --create-home --home-dir /home/azureuser --shell /bin/bash azureuser
usermod --password '*' azureuser
echo 'azureuser ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/azureuser
chmod 0440 /etc/sudoers.d/azureuser
visudo --check --quiet --file=/etc/sudoers.d/azureuser

# The second persistent place (a volume of its own): virtual environments and the kernels installed from them.
install -d -o azureuser -g azureuser -m 0755 /opt/hangar/envs

# Every container makes its own host keys at first start (hangar-instance); none may be shared through the image.
rm -f /etc/ssh/ssh_host_*

chmod 0755 /usr/local/bin/hangar-instance
chmod 0644 /etc/ssh/sshd_config.d/hangar.conf /etc/profile.d/hangar.sh
