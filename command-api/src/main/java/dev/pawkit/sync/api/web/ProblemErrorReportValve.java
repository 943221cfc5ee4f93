package dev.pawkit.sync.api.web;

import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's answer to a request it refuses itself (a header over the limit, a malformed header
 * line, an encoded slash or NUL in the path, a negative Content-Length, CONNECT): the problem document
 * every other error of this API is, instead of Tomcat's HTML page. Only the status and a fixed
 * detail: nothing of the request is echoed.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        if (status == 501) {
            // Tomcat's refusal of CONNECT and of a transfer coding it does not know (RFC 9112 suggests 501):
            // the client's request is what cannot be served, and client input never gets a 5xx here.
            status = 400;
            response.setStatus(status);
        }
        String json = ProblemWriter.json(Problems.forStatus(status,
                status < 500 ? "the server could not read this request as HTTP it accepts" : "the server failed"));
        try {
            response.setContentType(ProblemWriter.PROBLEM_JSON);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(json);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The connection is gone or already answered: nothing more to say.
        }
    }
}
