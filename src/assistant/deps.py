"""Dependencies the routes declare: the loaded assistant and the settings, from the app's state."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from assistant.service import Assistant
from assistant.settings import Settings


def get_assistant(request: Request) -> Assistant:
    """The assistant loaded by the lifespan."""
    assistant: Assistant = request.app.state.assistant
    return assistant


def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


AssistantDep = Annotated[Assistant, Depends(get_assistant)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
