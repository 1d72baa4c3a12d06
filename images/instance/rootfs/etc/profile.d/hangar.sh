# Kernels installed into the persistent environments volume (ipykernel install --prefix=/opt/hangar/envs) are found
# by Jupyter and by `jupyter kernelspec list` in login shells too (the image's ENV covers everything else).
export JUPYTER_PATH="${JUPYTER_PATH:-/opt/hangar/envs/share/jupyter}"
