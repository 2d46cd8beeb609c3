"""The kernels the build and the suite start talk over Unix sockets, not TCP ports.

A TCP kernel's five ports are picked free by the client, then bound by the kernel once its Python
has started, a second or more later on a busy run. Meanwhile other kernels start (the build runs
one per core; the suite's workers run nbval and the Colab and feedback tests) and the browser
tests open connections, and any of them may take one of those ports: the kernel never answers,
and nbval fails every cell of that notebook with "Kernel didn't respond in 60 seconds" (seen once
in a full run; the same race: treebeardtech/nbmake#129, quantumlib/Cirq#8090). Each TCP kernel
also prints ipykernel's warning that it runs unencrypted, one per notebook in the build's log.
An IPC kernel's sockets are files; each kernel here gets its own name for them (jupyter_client's
default is "kernel-ipc" in the working directory, shared by the kernels of one folder).
"""
import os
import tempfile
import uuid

from jupyter_client import KernelManager
from traitlets import CaselessStrEnum, default


class IpcKernelManager(KernelManager):
    # ZeroMQ has no IPC transport on Windows: there the kernels keep TCP, and the race.
    transport = CaselessStrEnum(["tcp", "ipc"], default_value="tcp" if os.name == "nt" else "ipc", config=True)

    @default("ip")
    def _unique_socket_path(self) -> str:
        if self.transport != "ipc":
            return super()._ip_default()
        return os.path.join(tempfile.gettempdir(), f"kernel-{uuid.uuid4()}-ipc")
