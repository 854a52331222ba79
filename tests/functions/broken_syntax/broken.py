def handler(event, context)
    return "a colon is missing above"
