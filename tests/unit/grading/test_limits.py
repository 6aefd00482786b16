"""The kernel launcher's memory cap and the capped kernel manager."""

from __future__ import annotations

import subprocess
import sys

import pytest

from endtrafficking.grading import limits
from endtrafficking.grading.kernel import CappedKernelManager

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_AS is POSIX only")


def test_launcher_caps_the_program_it_starts() -> None:
    """Does the launcher start the command with the address-space cap set?"""
    code = "import resource; print(resource.getrlimit(resource.RLIMIT_AS)[0])"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "endtrafficking.grading.limits",
            "--memory-mb",
            "512",
            "--",
            sys.executable,
            "-c",
            code,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(done.stdout) == 512 * limits.MB


def test_a_capped_program_gets_memory_error() -> None:
    """Does a program that asks for more than its cap get a MemoryError (and live)?"""
    code = "\ntry:\n    b = bytearray(400 * 1024 * 1024)\nexcept MemoryError:\n    print('MemoryError')"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "endtrafficking.grading.limits",
            "--memory-mb",
            "300",
            "--",
            sys.executable,
            "-c",
            code,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "MemoryError"


def test_launcher_needs_a_command() -> None:
    """Does the launcher refuse to run without a command?"""
    with pytest.raises(SystemExit):
        limits.main(["--memory-mb", "100"])


def test_manager_wraps_the_kernel_command() -> None:
    """Does the kernel manager start kernels through the launcher, over local sockets?"""
    km = CappedKernelManager(kernel_name="python3", memory_limit_mb=1024)
    cmd = km.format_kernel_cmd()
    assert cmd[1:5] == ["-m", "endtrafficking.grading.limits", "--memory-mb", "1024"]
    assert "ipykernel_launcher" in " ".join(cmd[6:])
    assert km.transport == "ipc"
    other = CappedKernelManager(kernel_name="python3")
    assert km.ip != other.ip  # no two kernels share a socket path


def test_caps_can_be_turned_off() -> None:
    """Is the kernel command left alone when every cap is 0 and there is no sandbox?"""
    km = CappedKernelManager(
        kernel_name="python3",
        memory_limit_mb=0,
        cpu_limit_seconds=0,
        file_limit_mb=0,
        process_limit=0,
    )
    assert "endtrafficking.grading.limits" not in km.format_kernel_cmd()


def test_sandboxed_kernel_is_interrupted_by_message() -> None:
    """Does a sandboxed kernel get the sandbox option and message-mode interrupts?"""
    km = CappedKernelManager(kernel_name="python3", sandbox=True)
    cmd = km.format_kernel_cmd()
    assert cmd[cmd.index("--sandbox") + 1] == km.runtime_folder
    assert km.kernel_spec.interrupt_mode == "message"
    assert km.connection_file.startswith(km.runtime_folder)
