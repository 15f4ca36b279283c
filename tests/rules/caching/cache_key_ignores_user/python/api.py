from fastapi import APIRouter, Depends, Request
from fastapi_cache.decorator import cache

router = APIRouter()


@router.get("/me/settings")
# ok: SC-CACHE-008
@cache(expire=60)
async def my_settings(user: User = Depends(get_current_user)):
    return await load_settings(user.id)


@router.get("/me/token-info")
# ruleid: SC-CACHE-008
@cache(expire=60)
async def token_info(request: Request):
    return decode(request.headers["Authorization"])
