package dev.pawkit.sync.api.web;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * Closes the connection after an error answer to a request whose body was not read (a 401 to an
 * anonymous upload, a 413, the 408 of a body too slow), instead of letting Tomcat read the rest of
 * the body to keep the connection alive: Tomcat reads it with blocking reads on a worker thread,
 * so a client trickling its body would hold that thread for as long as it liked. Tomcat itself
 * does this for uploads it aborts ({@code DISABLE_SWALLOW_INPUT}); a servlet cannot ask for it.
 */
public class UnreadBodyValve extends ValveBase {

    public UnreadBodyValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        getNext().invoke(request, response);
        if (response.getStatus() >= 400 && !request.isAsyncStarted()) {
            AtomicBoolean fullyRead = new AtomicBoolean();
            request.getCoyoteRequest().action(ActionCode.REQUEST_BODY_FULLY_READ, fullyRead);
            if (!fullyRead.get()) {
                // Said in the answer when it is not sent yet (problems are written unflushed), so that
                // a client whose body was on its way does not reuse the connection.
                if (!response.isCommitted()) {
                    response.setHeader("Connection", "close");
                }
                request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
            }
        }
    }
}
