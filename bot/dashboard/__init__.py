"""The staff workspace: a server-rendered Starlette app over the same database and knowledge as the bot."""
