"""Who reads whom, over the JSON API: grants, the coach's roster, an athlete's coach.

- ``PUT/DELETE /api/athletes/{athlete}/grants/{reader}``: the athlete lets another account
  read their season and sessions, or takes it back.
- ``PUT/DELETE /api/me/coach``: an athlete asks a coach (who must accept) or leaves them.
- ``GET /api/roster``, ``POST /api/roster/{athlete}/accept``, ``DELETE
  /api/roster/{athlete}``: the coach's athletes, ranked (docs/roster-json.md); accepting a
  request; declining one or letting an athlete go.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from footfall.errors import FootfallError
from footfall.store import Store
from footfall.store.accounts import Accounts
from footfall.store.database import MAX_NAME_LENGTH
from footfall.web import rendering
from footfall.web.api import AthleteName
from footfall.web.deps import Changer, Reader, ServicesDep, coach_only, own_athlete
from footfall.web.problems import Problem, forbidden, not_found

router = APIRouter(prefix="/api")


class CoachChoice(BaseModel):
    coach: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)


def _missing(exc: FootfallError) -> Problem:
    return not_found(exc.problem)


@router.get("/athletes/{athlete}/grants")
async def grants(athlete: AthleteName, signed: Reader, app: ServicesDep) -> dict[str, Any]:
    """Who the athlete granted read-only access to (only the athlete may ask)."""
    own_athlete(signed, athlete)
    readers = await app.stores.read(lambda s: Accounts(s).readers(signed.user))
    return {"athlete": signed.user.name, "readers": readers}


@router.put("/athletes/{athlete}/grants/{reader}", status_code=201)
async def grant(
    athlete: AthleteName, reader: AthleteName, signed: Changer, app: ServicesDep
) -> Response:
    """Let ``reader`` read the athlete's season and sessions (201; 200 if they could)."""
    own_athlete(signed, athlete)

    def change(store: Store) -> bool:
        return Accounts(store).grant(signed.user, reader)

    try:
        added = await app.stores.write(change)
    except FootfallError as exc:
        if "no account" in exc.problem:
            raise _missing(exc) from None
        raise Problem(422, exc.problem) from None
    return Response(status_code=201 if added else 200)


@router.delete("/athletes/{athlete}/grants/{reader}", status_code=204)
async def revoke(
    athlete: AthleteName, reader: AthleteName, signed: Changer, app: ServicesDep
) -> Response:
    """Take back ``reader``'s access (404 when they had none)."""
    own_athlete(signed, athlete)
    if not await app.stores.write(lambda s: Accounts(s).revoke(signed.user, reader)):
        raise not_found(f"{reader.strip()} has no access to take back")
    return Response(status_code=204)


@router.put("/me/coach", status_code=202)
async def ask_coach(choice: CoachChoice, signed: Changer, app: ServicesDep) -> dict[str, Any]:
    """An athlete asks a coach; the coach sees them once they accept (202: waiting)."""
    if signed.user.role != "athlete":
        raise forbidden("only an athlete asks for a coach")
    try:
        user = await app.stores.write(lambda s: Accounts(s).ask_coach(signed.user, choice.coach))
    except FootfallError as exc:
        raise _missing(exc) from None
    return user.to_dict()


@router.delete("/me/coach", status_code=204)
async def leave_coach(signed: Changer, app: ServicesDep) -> Response:
    """An athlete leaves their coach (or withdraws the request)."""
    if not await app.stores.write(lambda s: Accounts(s).leave_coach(signed.user)):
        raise not_found("you have no coach")
    return Response(status_code=204)


@router.get("/roster")
async def roster(signed: Reader, app: ServicesDep) -> dict[str, Any]:
    """The coach's accepted athletes ranked by what needs attention, and who is waiting."""
    coach_only(signed)
    names = [n for n, how in signed.access.items() if how == "coach"]
    ranked = await app.stores.compute(rendering.roster_json, str(app.settings.home), names)
    waiting = await app.stores.read(lambda s: Accounts(s).requests(signed.user))
    return {**ranked, "requests": waiting}


@router.post("/roster/{athlete}/accept")
async def accept(athlete: AthleteName, signed: Changer, app: ServicesDep) -> dict[str, Any]:
    """Accept an athlete who asked this coach."""
    coach_only(signed)
    if not await app.stores.write(lambda s: Accounts(s).accept(signed.user, athlete)):
        raise not_found(f"no request from {athlete.strip()!r}")
    return {"coach": signed.user.name, "athlete": athlete.strip(), "accepted": True}


@router.delete("/roster/{athlete}", status_code=204)
async def drop(athlete: AthleteName, signed: Changer, app: ServicesDep) -> Response:
    """Decline a request, or stop coaching an athlete."""
    coach_only(signed)
    if not await app.stores.write(lambda s: Accounts(s).drop(signed.user, athlete)):
        raise not_found(f"{athlete.strip()!r} is not on your roster")
    return Response(status_code=204)
