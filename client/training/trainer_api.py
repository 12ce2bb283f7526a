"""The trainer's calls to a training server's /v1/admin endpoints over HTTP: reset the demo,
trainee progress, edit a record (to make a conflict), withdraw a case."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests

from client import __version__


class TrainerError(Exception):
    """A trainer action failed; `message` is Chinese, for the screen."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.status = status


class TrainerClient:
    def __init__(self, base_url: str, username: str, password: str, *, timeout: float = 60,
                 verify: str | bool = True):
        self.base = base_url.rstrip("/")
        self.username, self._password = username, password
        self.timeout = timeout
        self.session = requests.Session()
        self.session.verify = verify  # TLS verification stays on; a CA bundle path may be given
        self.session.headers["X-Client-Version"] = __version__
        self._token: str | None = None

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> "TrainerClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, method: str, path: str, body: Any = None, *, auth: bool = True,
              params: dict[str, Any] | None = None) -> dict[str, Any]:
        headers = {}
        if auth:
            if self._token is None:
                self.login()
            headers["Authorization"] = f"Bearer {self._token}"
        try:
            r = self.session.request(method, self.base + path, json=body, headers=headers,
                                     params=params, timeout=self.timeout)
        except requests.exceptions.RequestException as exc:
            raise TrainerError(f"无法连接培训服务器 {self.base}：请确认服务器已启动。（{type(exc).__name__}）") from None
        if r.status_code >= 400:
            detail = ""
            try:
                detail = (r.json() or {}).get("detail") or ""
            except ValueError:
                pass
            raise TrainerError(detail or f"服务器拒绝了请求（错误 {r.status_code}）", r.status_code)
        try:
            data = r.json()
        except ValueError:
            raise TrainerError("服务器返回的数据无法识别") from None
        if not isinstance(data, dict):
            raise TrainerError("服务器返回的数据无法识别")
        return data

    def login(self) -> dict[str, Any]:
        data = self._call("POST", "/v1/auth/token", {"username": self.username, "password": self._password,
                                                      "device_id": "trainer-console"}, auth=False)
        self._token = str(data["access_token"])
        return dict(data["user"])

    def health(self) -> dict[str, Any]:
        return self._call("GET", "/v1/health", auth=False)

    def reset(self) -> dict[str, Any]:
        """Restore the training data's starting state (every trainee's cases open again)."""
        return self._call("POST", "/v1/admin/reset")

    def users(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "/v1/admin/users")["users"])

    def cases(self, assigned_to: str, status: str | None = None) -> list[dict[str, Any]]:
        """A worker's cases: [{record, status, assigned_to, updated_at}] in case-id order."""
        params = {"assigned_to": assigned_to, **({"status": status} if status else {})}
        return list(self._call("GET", "/v1/admin/cases", params=params)["cases"])

    def case(self, case_id: str) -> dict[str, Any]:
        return self._call("GET", f"/v1/admin/cases/{case_id}")

    def edit_person(self, person_id: str, changes: Mapping[str, str | None],
                    note: str = "", plant_errors: bool = False) -> dict[str, Any]:
        """An office edit; `plant_errors` lets a trainer make a rule error on purpose (training
        servers only: the server refuses it elsewhere)."""
        return self._call("PATCH", f"/v1/admin/persons/{person_id}",
                          {"changes": changes, "note": note, "plant_errors": plant_errors})

    def withdraw(self, case_id: str, note: str = "") -> dict[str, Any]:
        return self._call("POST", f"/v1/admin/cases/{case_id}/withdraw", {"note": note})
